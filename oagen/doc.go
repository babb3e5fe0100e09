// Package oagen writes synthetic but realistic pre-1.0 (CSV era) Apache Spot
// OA data trees for benchmarks and large-scale tests.
//
// Generate writes root/spot-oa/data/<pipe>/... in the newest CSV-era layouts
// (flow L2, dns D1, proxy; see §1.4 and §2 of the Spot OA reference,
// spot-oa-reference.md). Like a real OA tree, the result is a few larger files per day
// (flow_scores.csv, dns_scores.csv, proxy_scores.tsv and their *_bu backups)
// next to thousands of small ones:
//
//   - flow: edge-<sip>-<dip>-<HH>-<MM>.tsv (at most 100 rows), chord-<ip>.tsv,
//     threats.csv, sbdet-<ip>.tsv, and globe/stats/threat-dendro JSON;
//   - dns: edge-<name>_<HH>_00.csv (QUOTE_ALL, at most 250 rows),
//     dendro-<ip>.csv, threat-dendro-<anchor>.csv, threats.csv;
//   - proxy: edge-<clientip>-<hash>.tsv (at most 250 rows), threats.csv,
//     timeline-<md5>.tsv with its es-<md5>.csv companion, and
//     incident-progression-<md5>.json;
//   - <pipe>/ingest_summary/is_YYYYMM.csv with one `date,total` row per minute.
//
// Terms:
//   - Unit: one pipeline on one day. Each unit gets an equal share of
//     Options.Size and its own random stream derived from Options.Seed, the
//     pipeline and the day. Output is therefore deterministic for a seed, and
//     a pipeline's files do not depend on which other pipelines are selected.
//   - Valid: every file follows the rules the migration checks. Headers are
//     exact, field counts match, and there is no delimiter or quote inside a
//     value. DNS unix_tstamp and hh agree with frame_time. Proxy hash =
//     md5(clientip+fulluri) followed by the 2-digit hour. Proxy
//     threats/timeline/es names are md5(fulluri) of a fulluri in that day's
//     proxy_scores.tsv, and every es file holds a row with that fulluri.
//     Some es files start with a referer match whose fulluri is a different
//     URI, as in real data.
//
// The files the migration must skip (the *_bu backups and the storyboard
// JSON) are written too, because real trees have them. They count towards
// Options.Size.
package oagen
