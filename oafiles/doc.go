// Package oafiles maps the old OA files that Spot 1.0 reads outside Impala
// onto their Spot 1.0 locations, and converts their content where the 1.0
// reader needs another layout (spec addendum §7.6).
//
// Three kinds of unit:
//
//   - Storyboard: the flow globe-, stats- and threat-dendro-<ip>.json files
//     and the proxy incident-progression-<md5>.json files of a day folder,
//     copied byte for byte to ${HUSER}/<pipe>/oa/storyboard/<Y>/<M>/<D>/
//     (unpadded date; flow files in a per-IP sub-folder, IP dots as '_').
//   - Feedback: <pipe>_scores_fb.csv of a day folder, written to
//     ${HUSER}/<pipe>/scored_results/<YYYYMMDD>/feedback/ml_feedback.csv;
//     copied when already in the 1.0 ML reader's layout (flow F8, dns D1,
//     proxy 26 columns), converted by header name from F20 to F8 and from
//     D0 to D1.
//   - Notebook: the two per-date notebooks of a migrated date, created in the
//     new spot-oa folder from the 1.0 templates.
//
// File names are treated as hostile: Match accepts only the documented
// patterns (dotted IPv4, 32 lowercase hex digits), so a Dest holds only the
// documented characters and never "..". docs/FILES.md gives the paths and the
// conversion output byte for byte.
package oafiles
