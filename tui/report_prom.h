/* report_prom.h - the scan as Prometheus metrics, for node_exporter's
 * textfile collector. */
#ifndef QUIRK_REPORT_PROM_H
#define QUIRK_REPORT_PROM_H

#include <stdio.h>

#include "../db/match.h"
#include "cli.h"

/* Writes the text exposition format (version 0.0.4) to out: quirk_info,
 * quirk_scan_timestamp_seconds, quirk_knowledge_base_entries, quirk_findings by
 * verdict, one quirk_finding series per entry, and quirk_probe_result /
 * quirk_probe_duration_seconds for the probes p ran. No sample timestamps
 * (the textfile collector refuses them). */
void report_prometheus(FILE *out, struct pipeline *p, const struct finding *v, size_t n);

#endif
