// Package oagen writes synthetic but realistic pre-1.0 (CSV era) Apache Spot
// OA data trees for benchmarks and large-scale tests.
//
// Generate writes root/spot-oa/data/<pipe>/... with the shapes of the old
// files as the spec describes them (spot-oa-reference.md §1-2 and the
// addendum §7, spot-oa-addendum.md). Like a real OA tree, the result is a
// few larger files per day (flow_scores.csv, dns_scores.csv,
// proxy_scores.tsv and their *_bu backups) next to thousands of small ones:
//
//   - flow: edge-<sip>-<dip>-<HH>-<MM>.tsv (at most 100 rows), chord-<ip>.tsv,
//     threats.csv, sbdet-<ip>.tsv, and globe/stats/threat-dendro JSON;
//   - dns: edge-<name>_<HH>_00.csv (QUOTE_ALL, at most 250 rows),
//     dendro-<ip>.csv, threat-dendro-<anchor>.csv, threats.csv;
//   - proxy: edge-<clientip>-<hash>.tsv (at most 250 rows), threats.csv,
//     timeline-<md5>.tsv with its es-<md5>.csv companion, and
//     incident-progression-<md5>.json;
//   - <pipe>/ingest_summary/is_YYYYMM.csv with one row per minute;
//   - root/spot-oa/oa/components/iana/: iana_config.json (bare file names)
//     and dns-qclass.csv, dns-qtype.csv, dns-rcode.csv, http-rcode.csv with
//     the exact headers and every row of addendum §7.1.6 (Reference and the
//     other free texts empty), unless Options.NoRegistry.
//
// Shapes (addendum §7):
//   - IANA names: the DNS name columns (dns_scores, edge columns 6-8) and the
//     proxy respcode_name and edge respcode columns hold the registry names
//     exactly as IanaTransform wrote them (`Internet (IN)`, `A`, `*`, `NULL`,
//     `NoError`, `BADSIG`, `OK`, `Processing (WebDAV)`, ...). A few values per
//     thousand are ones the registry does not know and that the lookup
//     returned unchanged: class `0x000000ff` (tshark's lower case), type
//     `65`, HTTP `0` (proxy_scores) and `-` (proxy edge). From 2016-12-22
//     dns_scores also holds the ML's fill values `unknown`, `-1`, `-1`
//     (names `UNKNOWN`, `0`, `UNKNOWN`), whose raw edge rows read `NULL`; a
//     few other edge rows are `NULL` too. Options.Unconfigured writes the
//     codes in every name column instead (`0x00000001`, `1`, `0`, `200`).
//   - DNS time: frame_time is `Mon  D YYYY HH:MM:SS.nnnnnnnnn ZONE` (two
//     spaces before a 1-digit day) in the collector's zone (Options.DNSZone,
//     default UTC; Options.DNSSwitchDay for a DST change within one day
//     folder). dns_scores unix_tstamp is the UTC epoch of that wall clock,
//     hh its local hour; an edge file's HH is that local hour, and on a
//     fall-back day its rows may hold both tokens. Every token of a day's
//     edge files is in that day's dns_scores.csv.
//   - Layouts by day folder (LayoutsOn): flow_scores L0 before 2016-10-26
//     (header srcIp_rep or, after a notebook save, srcIP_rep), L1 before
//     2016-11-07, then L2; flow edge E13 before 2016-11-08, then E15; flow
//     chords C6 (max/avg) before 2016-11-18, then C4; dns_scores D0 before
//     2016-10-11, then D1; sbdet and proxy timeline files start with two
//     blank lines before 2016-11-01; flow ingest summaries are daily
//     is_YYYYMMDD.csv (`date,flows`, MM/DD/YYYY rows) on 2016-11-30 and
//     2016-12-01, monthly with `date,flows` repeated before each day until
//     2016-12-11, then `date,total`. (Simplification: summaries are written
//     for every day, although the spec knows none before 2016-11-30 for
//     flow and 2016-12-12 for dns and proxy.) DefaultStart (2017-01-09)
//     gets the newest layouts; a tree started in October 2016 has them all.
//   - Line ends: CRLF for the Python csv writer files (the scores files and
//     their backups, DNS edge and proxy edge files); LF for impala-shell
//     outputs, threats.csv, is_*.csv and the registries.
//   - Flow: every day's rank 1 is a connection of 23:59 the day before, so
//     its edge file edge-...-23-59.tsv in folder D holds rows of D-1; one
//     early rank has an ibyt above 2^31-1.
//   - Options.RejectShare gives that share of the small per-day files one
//     rejected row each (see Options.RejectShare); default none.
//
// Terms:
//   - Unit: one pipeline on one day. Each unit gets an equal share of
//     Options.Size and its own random stream derived from Options.Seed, the
//     pipeline and the day. Output is therefore deterministic for a seed, and
//     a pipeline's files do not depend on which other pipelines are selected.
//     The reject choices use a second stream, so a tree with RejectShare
//     differs from the same tree without it only in the rejected rows.
//   - Valid: apart from the RejectShare rows, every file follows the rules
//     the migration checks. Headers are exact (built from the layouts of
//     package spotmigrate/catalog, the ones the migration detects), field
//     counts match, and there is no delimiter or quote inside a value. DNS
//     unix_tstamp and hh agree with frame_time and the zone. Proxy hash =
//     md5(clientip+fulluri) followed by the 2-digit hour. Proxy
//     threats/timeline/es names are md5(fulluri) of a fulluri in that day's
//     proxy_scores.tsv, and every es file holds a row with that fulluri.
//     Some es files start with a referer match whose fulluri is a different
//     URI, as in real data.
//   - Expected: Stats.Rows counts the rows that should land per target table
//     and partition by the migration's contract (flow_edge in the date of
//     its scored row's tstart; dns_edge in the UTC date of its scored row's
//     unix_tstamp; ingest summaries in the row's date; everything else in
//     the day folder; rejected rows do not land, notices do), and
//     Stats.Notices and Stats.Rejected the notices and rejects to expect.
//
// The files the migration must skip (the *_bu backups, the es files and the
// storyboard JSON) are written too, because real trees have them. They count
// towards Options.Size.
package oagen
