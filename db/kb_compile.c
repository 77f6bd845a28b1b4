/* kb_compile.c - JSON entries -> KB tables. Validation is a table of SQL
 * queries over the entry (SQLite's JSON functions); each returns the
 * reason for rejecting it, so adding a rule is adding a row. */
#include "kb_compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/fileio.h"
#include "../probes/text.h"
#include "kb.h"
#include "kb_schema.h"
#include "osv.h"
#include "version.h"

#define ENTRY_MAX (1u << 20)

/* Who a check applies to: quirk's own entries, foreign (osv.dev) records
 * after their translation into quirk's shape, and foreign records as
 * they came, before it. */
enum { K_NATIVE = 1, K_FOREIGN = 2, K_OSV = 4 };

struct check {
	unsigned kinds;
	const char *sql;
};

#define EVENT_SHAPE                                                                                  \
	" json_type(r.value,'$.events') IS NOT 'array' OR json_array_length(r.value,'$.events') = 0"     \
	" OR EXISTS (SELECT 1 FROM json_each(r.value,'$.events') e WHERE json_type(e.value) <> 'object'" \
	" OR (SELECT count(*) FROM json_each(e.value)) <> 1 OR EXISTS (SELECT 1 FROM json_each(e.value) k"

/* ?1 is the entry's JSON text, ?2 its file name, ?3 the version schemes
 * (for messages), ?4 why the entry is inactive (NULL if it is not), ?6 1
 * when the id must be the file name. */
static const struct check checks[] = {
	{K_NATIVE | K_FOREIGN | K_OSV, "SELECT 'not a JSON object' WHERE json_type(?1) IS NOT 'object'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'unknown field \"' || key || '\"' FROM json_each(?1) WHERE key NOT IN"
	" ('schema_version','id','modified','published','withdrawn','aliases','related',"
	"'summary','details','severity','affected','references','credits','database_specific')"},
	{K_NATIVE, "SELECT 'id: must be lowercase letters, digits and dashes' WHERE"
	" json_type(?1,'$.id') IS NOT 'text' OR ?1->>'$.id' = '' OR ?1->>'$.id' GLOB '*[^a-z0-9-]*'"},
	{K_OSV, "SELECT 'id: required text of letters, digits, \".\", \"_\", \":\" and \"-\"' WHERE"
	" json_type(?1,'$.id') IS NOT 'text' OR ?1->>'$.id' = '' OR ?1->>'$.id' GLOB '*[^A-Za-z0-9._:-]*'"},
	{K_NATIVE, "SELECT 'id \"' || (?1->>'$.id') || '\" does not match the file name' WHERE ?6"
	" AND (?1->>'$.id') || '.json' IS NOT ?2"},
	{K_NATIVE | K_FOREIGN, "SELECT 'summary: required text' WHERE json_type(?1,'$.summary') IS NOT 'text' OR trim(?1->>'$.summary') = ''"},
	{K_NATIVE | K_FOREIGN, "SELECT 'details: required text' WHERE json_type(?1,'$.details') IS NOT 'text' OR trim(?1->>'$.details') = ''"},
	{K_OSV, "SELECT key || ': must be text' FROM json_each(?1) WHERE key IN ('summary','details') AND type <> 'text'"},
	{K_NATIVE | K_FOREIGN | K_OSV, "SELECT 'modified: required RFC 3339 time' WHERE json_type(?1,'$.modified') IS NOT 'text'"
	" OR NOT (?1->>'$.modified') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'"},
	{K_OSV, "SELECT 'withdrawn: must be an RFC 3339 time' WHERE json_type(?1,'$.withdrawn') IS NOT NULL"
	" AND NOT ifnull(?1->>'$.withdrawn', '') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'aliases: must be a list of strings' WHERE json_type(?1,'$.aliases') NOT IN ('array')"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.aliases') WHERE type <> 'text')"},
	{K_OSV, "SELECT 'aliases: must be a list of strings' WHERE ifnull(json_type(?1,'$.aliases'), 'array') <> 'array'"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.aliases') WHERE type <> 'text')"},
	{K_NATIVE, "SELECT 'references: at least one primary source is required (type FIX, ADVISORY, REPORT,"
	" INTRODUCED, EVIDENCE, PACKAGE or GIT)' WHERE json_type(?1,'$.references') IS NOT 'array'"
	" OR NOT EXISTS (SELECT 1 FROM json_each(?1,'$.references') WHERE value->>'$.type' IN " KB_PRIMARY_REF_TYPES ")"},
	{K_NATIVE, "SELECT 'references[' || key || ']: needs an OSV \"type\" and an https \"url\"'"
	" FROM json_each(?1,'$.references') WHERE json_type(value,'$.url') IS NOT 'text'"
	" OR value->>'$.url' NOT LIKE 'https://_%' OR value->>'$.type' IS NULL OR value->>'$.type' NOT IN"
	" ('ADVISORY','ARTICLE','DETECTION','DISCUSSION','REPORT','FIX','INTRODUCED','GIT','PACKAGE','EVIDENCE','WEB')"},
	{K_OSV, "SELECT 'references: must be a list of {\"type\", \"url\"}' WHERE ifnull(json_type(?1,'$.references'), 'array') <> 'array'"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.references') WHERE json_type(value,'$.type') IS NOT 'text'"
	" OR json_type(value,'$.url') IS NOT 'text')"},
	{K_OSV, "SELECT 'severity: must be a list of {\"type\", \"score\"}' WHERE ifnull(json_type(?1,'$.severity'), 'array') <> 'array'"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.severity') WHERE json_type(value,'$.type') IS NOT 'text'"
	" OR json_type(value,'$.score') IS NOT 'text')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific: required object' WHERE json_type(?1,'$.database_specific') IS NOT 'object'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific: unknown field \"' || key || '\"' FROM json_each(?1,'$.database_specific')"
	" WHERE key NOT IN ('component','severity','verified','conditions','symptoms','symptom_patterns','workarounds','probe',"
	"'probe_decides','notes')"},
	{K_NATIVE, "SELECT 'database_specific.severity: one of critical, high, medium, low' WHERE"
	" ?1->>'$.database_specific.severity' IS NULL OR ?1->>'$.database_specific.severity' NOT IN ('critical','high','medium','low')"},
	{K_FOREIGN, "SELECT 'database_specific.severity: one of critical, high, medium, low, negligible, unrated' WHERE"
	" ifnull(?1->>'$.database_specific.severity', '') NOT IN ('critical','high','medium','low','negligible','unrated')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.component: required text' WHERE json_type(?1,'$.database_specific.component') IS NOT 'text'"},
	{K_NATIVE, "SELECT 'database_specific.verified: required date YYYY-MM-DD' WHERE"
	" json_type(?1,'$.database_specific.verified') IS NOT 'text' OR NOT"
	" (?1->>'$.database_specific.verified') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"},
	{K_NATIVE, "SELECT 'database_specific.symptoms: at least one exact symptom string' WHERE"
	" json_type(?1,'$.database_specific.symptoms') IS NOT 'array' OR json_array_length(?1,'$.database_specific.symptoms') = 0"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.database_specific.symptoms') WHERE type <> 'text' OR trim(value) = '')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.symptom_patterns: must be a list of non-empty strings' WHERE"
	" json_type(?1,'$.database_specific.symptom_patterns') NOT IN ('array') OR EXISTS (SELECT 1 FROM"
	" json_each(?1,'$.database_specific.symptom_patterns') WHERE type <> 'text' OR value = '')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.symptom_patterns[' || p.key || ']: \"' || p.value || '\" ' || pattern_check(p.value,"
	" (SELECT group_concat(s.value, char(10)) FROM json_each(?1,'$.database_specific.symptoms') s))"
	" FROM json_each(?1,'$.database_specific.symptom_patterns') p WHERE pattern_check(p.value,"
	" (SELECT group_concat(s.value, char(10)) FROM json_each(?1,'$.database_specific.symptoms') s)) IS NOT NULL"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.workarounds: at least one {\"text\", \"commands\"}' WHERE"
	" json_type(?1,'$.database_specific.workarounds') IS NOT 'array' OR json_array_length(?1,'$.database_specific.workarounds') = 0"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.workarounds[' || key || ']: needs \"text\"; \"commands\" must be a list of strings'"
	" FROM json_each(?1,'$.database_specific.workarounds') WHERE json_type(value,'$.text') IS NOT 'text'"
	" OR (json_type(value,'$.commands') IS NOT NULL AND (json_type(value,'$.commands') <> 'array'"
	" OR EXISTS (SELECT 1 FROM json_each(value,'$.commands') c WHERE c.type <> 'text')))"
	" OR EXISTS (SELECT 1 FROM json_each(value) k WHERE k.key NOT IN ('text','commands'))"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.probe: must be a probe name' WHERE json_type(?1,'$.database_specific.probe') NOT IN ('text','null')"
	" OR (?1->>'$.database_specific.probe') GLOB '*[^a-z0-9-]*'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.probe_decides: a list of the probe results that decide the verdict (\"pass\", \"fail\"), with a probe'"
	" WHERE json_type(?1,'$.database_specific.probe_decides') IS NOT NULL AND"
	" (json_type(?1,'$.database_specific.probe_decides') <> 'array' OR json_type(?1,'$.database_specific.probe') IS NOT 'text'"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.database_specific.probe_decides') WHERE value NOT IN ('pass','fail')))"},
	{K_NATIVE | K_FOREIGN, "SELECT 'database_specific.conditions: must be a list' WHERE json_type(?1,'$.database_specific.conditions') IS NOT 'array'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: unknown fact \"' || ifnull(value->>'$.fact','') || '\" (see quirk facts --keys)'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE NOT fact_known(value->>'$.fact')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: unknown op \"' || ifnull(value->>'$.op','') || '\"'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE value->>'$.op' IS NULL OR value->>'$.op' NOT IN"
	" ('eq','ne','in','contains','not_contains','glob','lt','le','gt','ge','present','absent')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || c.key || ']: unknown field \"' || k.key || '\"' FROM json_each(?1,'$.database_specific.conditions') c,"
	" json_each(c.value) k WHERE k.key NOT IN ('fact','op','value','scheme','why')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: \"' || (value->>'$.op') || '\" needs a \"value\"'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE value->>'$.op' NOT IN ('present','absent')"
	" AND json_type(value,'$.value') IS NULL"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: \"in\" needs a list value' FROM json_each(?1,'$.database_specific.conditions')"
	" WHERE value->>'$.op' = 'in' AND json_type(value,'$.value') IS NOT 'array'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: \"' || (value->>'$.op') || '\" needs a string value'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE value->>'$.op' IN"
	" ('contains','not_contains','glob','lt','le','gt','ge') AND json_type(value,'$.value') IS NOT 'text'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: version comparison needs a \"scheme\" (' || ?3 || ')'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE (value->>'$.op' IN ('lt','le','gt','ge')"
	" AND value->>'$.scheme' IS NULL) OR (value->>'$.scheme' IS NOT NULL AND NOT ver_scheme_known(value->>'$.scheme'))"},
	{K_NATIVE | K_FOREIGN, "SELECT 'conditions[' || key || ']: \"' || (value->>'$.value') || '\" is not a valid '"
	" || (value->>'$.scheme') || ' version' FROM json_each(?1,'$.database_specific.conditions')"
	" WHERE (value->>'$.op' IN ('lt','le','gt','ge') OR (value->>'$.op' IN ('eq','ne') AND value->>'$.scheme' IS NOT NULL))"
	" AND NOT ver_valid(value->>'$.scheme', value->>'$.value')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected: must be a list' WHERE json_type(?1,'$.affected') NOT IN ('array')"},
	{K_OSV, "SELECT 'affected: must be a list' WHERE ifnull(json_type(?1,'$.affected'), 'array') <> 'array'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || ']: needs package.ecosystem, package.name and a list of ranges or versions'"
	" FROM json_each(?1,'$.affected') a WHERE json_type(a.value,'$.package.ecosystem') IS NOT 'text'"
	" OR json_type(a.value,'$.package.name') IS NOT 'text' OR ((json_type(a.value,'$.ranges') IS NOT 'array'"
	" OR json_array_length(a.value,'$.ranges') = 0) AND (json_type(a.value,'$.versions') IS NOT 'array'"
	" OR json_array_length(a.value,'$.versions') = 0))"},
	{K_OSV, "SELECT 'affected[' || a.key || ']: needs package.ecosystem and package.name; ranges and versions must be lists'"
	" FROM json_each(?1,'$.affected') a WHERE json_type(a.value,'$.package.ecosystem') IS NOT 'text'"
	" OR json_type(a.value,'$.package.name') IS NOT 'text' OR ifnull(json_type(a.value,'$.ranges'), 'array') <> 'array'"
	" OR ifnull(json_type(a.value,'$.versions'), 'array') <> 'array'"},
	{K_NATIVE | K_FOREIGN | K_OSV, "SELECT 'affected[' || a.key || '].versions[' || v.key || ']: must be a string'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.versions') v WHERE v.type <> 'text'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || ']: database_specific.fact \"' || ifnull(a.value->>'$.database_specific.fact','')"
	" || '\" is not a known fact' FROM json_each(?1,'$.affected') a WHERE NOT fact_known(a.value->>'$.database_specific.fact')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || ']: package list ranges need package.purl' FROM json_each(?1,'$.affected') a"
	" WHERE a.value->>'$.database_specific.fact' IN ('project.packages', 'os.packages') AND (a.value->>'$.package.purl' IS NULL"
	" OR a.value->>'$.package.purl' NOT LIKE 'pkg:%/%' OR a.value->>'$.package.purl' LIKE '%@%')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || '].database_specific.when: a list of {\"fact\", \"value\"[, \"op\","
	" \"scheme\"]} with known facts, ops eq ne lt le gt ge, and a valid version where a scheme orders it'"
	" FROM json_each(?1,'$.affected') a WHERE ifnull(json_type(a.value,'$.database_specific.when'), 'array') <> 'array'"
	" OR EXISTS (SELECT 1 FROM json_each(a.value,'$.database_specific.when') w WHERE NOT fact_known(w.value->>'$.fact')"
	" OR json_type(w.value,'$.value') IS NOT 'text' OR ifnull(w.value->>'$.op', 'eq') NOT IN ('eq','ne','lt','le','gt','ge')"
	" OR (w.value->>'$.op' IN ('lt','le','gt','ge') AND w.value->>'$.scheme' IS NULL)"
	" OR (w.value->>'$.scheme' IS NOT NULL AND NOT ver_valid(w.value->>'$.scheme', w.value->>'$.value'))"
	" OR EXISTS (SELECT 1 FROM json_each(w.value) k WHERE k.key NOT IN ('fact','value','op','scheme')))"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: type must be SEMVER or ECOSYSTEM'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r WHERE r.value->>'$.type' IS NULL"
	" OR r.value->>'$.type' NOT IN ('SEMVER','ECOSYSTEM')"},
	{K_OSV, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: type must be SEMVER, ECOSYSTEM or GIT'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r WHERE json_type(r.value) <> 'object'"
	" OR r.value->>'$.type' IS NULL OR r.value->>'$.type' NOT IN ('SEMVER','ECOSYSTEM','GIT')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || ']: ECOSYSTEM ranges and versions need database_specific.scheme (' || ?3 || ')'"
	" FROM json_each(?1,'$.affected') a WHERE NOT ver_scheme_known(a.value->>'$.database_specific.scheme') AND"
	" (json_type(a.value,'$.versions') IS NOT NULL OR EXISTS (SELECT 1 FROM json_each(a.value,'$.ranges') r"
	" WHERE r.value->>'$.type' = 'ECOSYSTEM'))"},
	/* One scheme orders a group's bounds: SEMVER's, or the group's own. */
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || ']: SEMVER ranges cannot share a package with other ranges or"
	" versions unless its database_specific.scheme is semver; give each its own affected entry'"
	" FROM json_each(?1,'$.affected') a WHERE EXISTS (SELECT 1 FROM json_each(a.value,'$.ranges') r"
	" WHERE r.value->>'$.type' = 'SEMVER') AND (EXISTS (SELECT 1 FROM json_each(a.value,'$.ranges') r"
	" WHERE r.value->>'$.type' IS NOT 'SEMVER') OR json_array_length(a.value,'$.versions') > 0)"
	" AND a.value->>'$.database_specific.scheme' IS NOT 'semver'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: events must be a non-empty list of"
	" {introduced|fixed|last_affected: version}' FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r"
	" WHERE" EVENT_SHAPE " WHERE k.key NOT IN ('introduced','fixed','last_affected') OR k.type <> 'text'))"},
	{K_OSV, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: events must be a non-empty list of"
	" {introduced|fixed|last_affected|limit: version}' FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r"
	" WHERE" EVENT_SHAPE " WHERE k.key NOT IN ('introduced','fixed','last_affected','limit') OR k.type <> 'text'))"},
	{K_OSV, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: \"limit\" events are only understood in GIT ranges'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r, json_each(r.value,'$.events') e"
	" WHERE r.value->>'$.type' <> 'GIT' AND json_type(e.value,'$.limit') IS NOT NULL"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: \"' || ev.value || '\" is not a valid '"
	" || CASE r.value->>'$.type' WHEN 'SEMVER' THEN 'semver' ELSE a.value->>'$.database_specific.scheme' END"
	" || ' version' FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r,"
	" json_each(r.value,'$.events') e, json_each(e.value) ev WHERE NOT (ev.key = 'introduced' AND ev.value = '0')"
	" AND NOT ver_valid(CASE r.value->>'$.type' WHEN 'SEMVER' THEN 'semver'"
	" ELSE a.value->>'$.database_specific.scheme' END, ev.value)"},
	/* Foreign versions are checked in the scheme of their ecosystem
	 * (osv_eco()); ecosystems quirk does not read are not checked. */
	{K_OSV, "SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: \"' || ev.value || '\" is not a valid '"
	" || CASE r.value->>'$.type' WHEN 'SEMVER' THEN 'semver' ELSE osv_eco(a.value->>'$.package.ecosystem', 'scheme') END"
	" || ' version (' || (a.value->>'$.package.ecosystem') || ')' FROM json_each(?1,'$.affected') a,"
	" json_each(a.value,'$.ranges') r, json_each(r.value,'$.events') e, json_each(e.value) ev"
	" WHERE r.value->>'$.type' <> 'GIT' AND osv_eco(a.value->>'$.package.ecosystem', 'scheme') IS NOT NULL"
	" AND NOT (ev.key = 'introduced' AND ev.value = '0') AND NOT ver_valid(CASE r.value->>'$.type'"
	" WHEN 'SEMVER' THEN 'semver' ELSE osv_eco(a.value->>'$.package.ecosystem', 'scheme') END, ev.value)"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || '].versions[' || v.key || ']: \"' || v.value || '\" is not a valid '"
	" || (a.value->>'$.database_specific.scheme') || ' version' FROM json_each(?1,'$.affected') a,"
	" json_each(a.value,'$.versions') v WHERE NOT ver_valid(a.value->>'$.database_specific.scheme', v.value)"},
	{K_OSV, "SELECT 'affected[' || a.key || '].versions[' || v.key || ']: \"' || v.value || '\" is not a valid '"
	" || osv_eco(a.value->>'$.package.ecosystem', 'scheme') || ' version (' || (a.value->>'$.package.ecosystem') || ')'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.versions') v"
	" WHERE osv_eco(a.value->>'$.package.ecosystem', 'scheme') IS NOT NULL"
	" AND NOT ver_valid(osv_eco(a.value->>'$.package.ecosystem', 'scheme'), v.value)"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || a.key || ']: database_specific.distro_fixed[' || x.key || '] needs distro, series,"
	" a valid fixed version in its scheme, and an https url' FROM json_each(?1,'$.affected') a,"
	" json_each(a.value,'$.database_specific.distro_fixed') x WHERE json_type(x.value,'$.distro') IS NOT 'text'"
	" OR json_type(x.value,'$.series') IS NOT 'text' OR NOT ver_valid(x.value->>'$.scheme', x.value->>'$.fixed')"
	" OR x.value->>'$.url' IS NULL OR x.value->>'$.url' NOT LIKE 'https://_%'"},
	{K_NATIVE | K_FOREIGN, "SELECT 'affected[' || key || ']: database_specific.unverified must be true or false'"
	" FROM json_each(?1,'$.affected') WHERE json_type(value,'$.database_specific.unverified') NOT IN ('true','false')"},
	{K_NATIVE | K_FOREIGN, "SELECT 'no conditions and no affected ranges: every host would be affected' WHERE ?4 IS NULL"
	" AND json_array_length(?1,'$.database_specific.conditions') = 0 AND ifnull(json_array_length(?1,'$.affected'), 0) = 0"},
};

/* ?1 the entry (translated for foreign records), ?2 its file name, ?4 why
 * it is inactive, ?5 the record as it came (NULL for quirk's own). */
static const char *const inserts[] = {
	"INSERT INTO entry SELECT ?1->>'$.id', ?2, ?1->>'$.summary', ?1->>'$.details',"
	" ?1->>'$.database_specific.component', ?1->>'$.database_specific.severity',"
	" CASE ?1->>'$.database_specific.severity' WHEN 'critical' THEN 0 WHEN 'high' THEN 1"
	" WHEN 'medium' THEN 2 WHEN 'low' THEN 3 WHEN 'negligible' THEN 4 ELSE 5 END, ?1->>'$.database_specific.probe',"
	" ifnull(?1->'$.database_specific.probe_decides', '[]'),"
	" ?1->>'$.database_specific.verified', ?1->>'$.modified', json(ifnull(?5, ?1)),"
	" CASE WHEN ?1->>'$.withdrawn' IS NOT NULL THEN 'withdrawn ' || (?1->>'$.withdrawn') ELSE ?4 END",
	"INSERT INTO cond SELECT ?1->>'$.id', key, value->>'$.fact', value->>'$.op', value->>'$.scheme',"
	" value->'$.value', value->>'$.why' FROM json_each(?1,'$.database_specific.conditions')",
	"INSERT INTO vgroup SELECT ?1->>'$.id', key, value->>'$.database_specific.fact',"
	" CASE WHEN value->>'$.ranges[0].type' = 'SEMVER' THEN 'semver' ELSE value->>'$.database_specific.scheme' END,"
	" value->>'$.package.purl', value->>'$.package.name', ifnull(value->>'$.database_specific.unverified', 0)"
	" FROM json_each(?1,'$.affected')",
	"INSERT INTO vgroup_when SELECT ?1->>'$.id', a.key, w.value->>'$.fact', w.value->'$.value',"
	" ifnull(w.value->>'$.op', 'eq'), w.value->>'$.scheme'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.database_specific.when') w",
	"INSERT INTO vrange SELECT ?1->>'$.id', a.key, v.value, v.value, 1"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.versions') v",
	"INSERT INTO distro_fix SELECT ?1->>'$.id', a.key, x.value->>'$.distro', x.value->>'$.series',"
	" x.value->>'$.fixed', x.value->>'$.scheme', x.value->>'$.url' FROM json_each(?1,'$.affected') a,"
	" json_each(a.value,'$.database_specific.distro_fixed') x",
	"INSERT INTO symptom SELECT ?1->>'$.id', key, value FROM json_each(?1,'$.database_specific.symptoms')",
	"INSERT INTO symptom_pattern SELECT ?1->>'$.id', key, value"
	" FROM json_each(?1,'$.database_specific.symptom_patterns')",
	"INSERT INTO workaround SELECT ?1->>'$.id', key, value->>'$.text', ifnull(value->'$.commands', '[]')"
	" FROM json_each(?1,'$.database_specific.workarounds')",
	"INSERT INTO ref SELECT ?1->>'$.id', key, value->>'$.type', value->>'$.url' FROM json_each(?1,'$.references')",
	/* The index row shares the entry's rowid, so that replacing an
	 * entry finds it without a scan. */
	"INSERT INTO entry_fts(rowid, id, summary, details, symptoms) SELECT rowid, id, summary, details,"
	" (SELECT group_concat(text, char(10)) FROM symptom WHERE entry_id = id) FROM entry WHERE id = ?1->>'$.id'",
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))
#define NINSERTS (sizeof(inserts) / sizeof(inserts[0]))

/* Statement slots: the checks, the inserts, then these. */
enum { S_VALID = NCHECKS + NINSERTS, S_NATIVE, S_ID, S_GROUPS, S_EVENTS, S_VRANGE, S_TRANSLATE, S__COUNT };

struct kb_compiler {
	sqlite3 *db;
	sqlite3_stmt *stmts[S__COUNT];
};

enum status kb_compiler_new(sqlite3 *db, struct kb_compiler **out, struct diag *d)
{
	struct kb_compiler *c = calloc(1, sizeof(*c));

	(void)d;
	if (!c)
		return STATUS_ERR_NOMEM;
	c->db = db;
	*out = c;
	return STATUS_OK;
}

void kb_compiler_free(struct kb_compiler *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < S__COUNT; i++)
		sqlite3_finalize(c->stmts[i]);
	free(c);
}

/* The statement of slot, prepared once and reset for another use; NULL
 * if sql does not prepare. */
static sqlite3_stmt *stmt(struct kb_compiler *c, size_t slot, const char *sql)
{
	if (!c->stmts[slot] &&
	    sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[slot], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(c->stmts[slot]);
	sqlite3_clear_bindings(c->stmts[slot]);
	return c->stmts[slot];
}

struct event {
	char kind; /* 'i' introduced, 'f' fixed, 'l' last_affected */
	char *ver;
};

static enum ver_scheme sort_scheme;

/* "introduced": "0" is OSV's "from the first version"; any other "0" is
 * a version of its scheme. */
static bool from_start(const struct event *e)
{
	return e->kind == 'i' && !strcmp(e->ver, "0");
}

static int tie_rank(const struct event *e)
{
	return e->kind == 'i' ? 0 : e->kind == 'f' ? 1 : 2;
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int c = 0;

	if (from_start(x) || from_start(y))
		c = from_start(y) - from_start(x);
	else
		ver_compare(sort_scheme, x->ver, y->ver, &c);
	/* At one version an introduction comes first ([v, v] is one version),
	 * then a fix: v is not affected, whatever a last_affected v says, as
	 * OSV reads events in order (a fix ends a span at v, a last affected
	 * version only after it). */
	return c ? c : tie_rank(x) - tie_rank(y);
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static enum status sql_fail(sqlite3 *db, struct diag *d, const char *file)
{
	return diag_set(d, STATUS_ERR_DB, "%s: %s", file, sqlite3_errmsg(db));
}

/* Inserts the intervals of one range's events (n of them, sorted) into
 * group g: in version order an introduction opens a span, and a fix or
 * a last affected version closes it. */
static enum status fold_events(struct kb_compiler *c, sqlite3_stmt *ins, const struct event *evs, size_t n,
			       const char *id, int g, const char *file, struct diag *d)
{
	const char *lo = NULL;
	bool open = false;

	for (size_t i = 0; i <= n; i++) {
		bool end = i == n;
		if (!end && evs[i].kind == 'i') {
			if (!open)
				lo = from_start(&evs[i]) ? NULL : evs[i].ver;
			open = true;
			continue;
		}
		if (!open)
			continue;
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 2, g);
		if (lo)
			sqlite3_bind_text(ins, 3, lo, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 3);
		if (end)
			sqlite3_bind_null(ins, 4);
		else
			sqlite3_bind_text(ins, 4, evs[i].ver, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 5, !end && evs[i].kind == 'l');
		if (sqlite3_step(ins) != SQLITE_DONE)
			return sql_fail(c->db, d, file);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		open = false;
	}
	return STATUS_OK;
}

/* Folds the events of each range of each affected[] element into
 * intervals of its group. Ranges are folded one by one and their
 * intervals kept side by side: OSV affects a version that any range
 * affects, and events of two ranges folded as one list would let a fix
 * in one close a span the other keeps open. */
static enum status fold_ranges(struct kb_compiler *c, const char *doc, const char *id,
			       const char *file, struct diag *d)
{
	sqlite3_stmt *grp, *ev, *ins;
	enum status st = STATUS_OK;

	grp = stmt(c, S_GROUPS, "SELECT key, value FROM json_each(?1,'$.affected')");
	ev = stmt(c, S_EVENTS, "SELECT r.key, ev.key, ev.value, CASE r.value->>'$.type' WHEN 'SEMVER'"
		  " THEN 'semver' ELSE ?1->>'$.database_specific.scheme' END"
		  " FROM json_each(?1,'$.ranges') r, json_each(r.value,'$.events') e,"
		  " json_each(e.value) ev");
	ins = stmt(c, S_VRANGE, "INSERT INTO vrange VALUES(?1, ?2, ?3, ?4, ?5)");
	if (!grp || !ev || !ins)
		return sql_fail(c->db, d, file);
	sqlite3_bind_text(grp, 1, doc, -1, SQLITE_STATIC);
	while (st == STATUS_OK && sqlite3_step(grp) == SQLITE_ROW) {
		int g = sqlite3_column_int(grp, 0);
		bool more;

		sqlite3_bind_text(ev, 1, (const char *)sqlite3_column_text(grp, 1), -1, SQLITE_TRANSIENT);
		more = sqlite3_step(ev) == SQLITE_ROW;
		while (st == STATUS_OK && more) {
			struct event evs[64];
			size_t n = 0;
			int range = sqlite3_column_int(ev, 0);

			for (; more && sqlite3_column_int(ev, 0) == range; more = sqlite3_step(ev) == SQLITE_ROW) {
				if (n == 64) {
					st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: affected[%d]: more than 64 events",
						      file, g);
					break;
				}
				ver_scheme_from_name((const char *)sqlite3_column_text(ev, 3), &sort_scheme);
				evs[n].kind = ((const char *)sqlite3_column_text(ev, 1))[0];
				evs[n].ver = strdup((const char *)sqlite3_column_text(ev, 2));
				if (!evs[n++].ver) {
					st = STATUS_ERR_NOMEM;
					break;
				}
			}
			if (st == STATUS_OK) {
				qsort(evs, n, sizeof(evs[0]), cmp_event);
				st = fold_events(c, ins, evs, n, id, g, file, d);
			}
			for (size_t i = 0; i < n; i++)
				free(evs[i].ver);
		}
		sqlite3_reset(ev);
	}
	sqlite3_reset(grp);
	return st;
}

static void version_schemes(char *buf, size_t n)
{
	buf[0] = '\0';
	for (int s = 0; s < VER__COUNT; s++)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", s ? ", " : "",
			 ver_scheme_name((enum ver_scheme)s));
}

/* Binds the parameters a check or insert statement uses (see above). */
static void bind_record(sqlite3_stmt *q, const char *doc, const char *name, const char *schemes,
			const char *inactive, const char *original, bool id_is_file)
{
	int n = sqlite3_bind_parameter_count(q);

	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	if (n >= 2)
		sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	if (n >= 3)
		sqlite3_bind_text(q, 3, schemes, -1, SQLITE_STATIC);
	if (n >= 4)
		sqlite3_bind_text(q, 4, inactive, -1, SQLITE_STATIC);
	if (n >= 5)
		sqlite3_bind_text(q, 5, original, -1, SQLITE_STATIC);
	if (n >= 6)
		sqlite3_bind_int(q, 6, id_is_file);
}

/* Runs the checks of kind on doc; the first failing one names the reason. */
/* Runs the checks of kind on doc; the first failing one names the reason. */
static enum status run_checks(struct kb_compiler *c, unsigned kind, const char *doc, const struct kb_record *r,
			      const char *inactive, struct diag *d)
{
	char schemes[160];
	enum status st = STATUS_OK;
	sqlite3_stmt *q;

	version_schemes(schemes, sizeof(schemes));
	for (size_t i = 0; st == STATUS_OK && i < NCHECKS; i++) {
		if (!(checks[i].kinds & kind))
			continue;
		if (!(q = stmt(c, i, checks[i].sql)))
			return sql_fail(c->db, d, r->where);
		bind_record(q, doc, r->name, schemes, inactive, NULL, r->id_is_file);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: %s", r->where,
				      (const char *)sqlite3_column_text(q, 0));
		else if (rc != SQLITE_DONE)
			st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: %s", r->where, sqlite3_errmsg(c->db));
		sqlite3_reset(q);
	}
	return st;
}

/* quirk's own entries carry its fields under database_specific. */
#define NATIVE_SQL                                                                               \
	"SELECT EXISTS (SELECT 1 FROM json_each(?1, '$.database_specific')"                           \
	" WHERE key IN ('component','verified','conditions','symptoms','workarounds','probe'))"        \
	" WHERE json_valid(?1) AND json_type(?1) = 'object'"

static bool is_native(sqlite3_stmt *q, const char *doc)
{
	bool native;

	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	native = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return native;
}

bool kb_record_is_native(sqlite3 *db, const char *doc)
{
	sqlite3_stmt *q;
	bool native;

	if (sqlite3_prepare_v2(db, NATIVE_SQL, -1, &q, NULL) != SQLITE_OK)
		return false;
	native = is_native(q, doc);
	sqlite3_finalize(q);
	return native;
}

enum status kb_compile_record(struct kb_compiler *c, const struct kb_record *r, char **notes, struct diag *d)
{
	enum status st = STATUS_OK;
	struct osv_translation t = {0};
	const char *doc = r->doc;
	sqlite3_stmt *q = stmt(c, S_NATIVE, NATIVE_SQL);
	bool native = r->native_only || (q && is_native(q, r->doc));

	if (notes)
		*notes = NULL;
	if (!(q = stmt(c, S_VALID, "SELECT json_valid(?1)")))
		return sql_fail(c->db, d, r->where);
	sqlite3_bind_text(q, 1, r->doc, -1, SQLITE_STATIC);
	/* The strict reader first: SQLite 3.40's json_each() crashes on some
	 * text its json_valid() accepts. */
	if (!text_json_strict(r->doc, strlen(r->doc)) || sqlite3_step(q) != SQLITE_ROW || !sqlite3_column_int(q, 0))
		st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: not valid JSON", r->where);
	sqlite3_reset(q);
	if (st == STATUS_OK && !native) {
		st = run_checks(c, K_OSV, r->doc, r, NULL, d);
		if (st == STATUS_OK)
			st = (q = stmt(c, S_TRANSLATE, osv_translate_sql)) ? osv_translate_with(q, r->doc, &t, d)
									    : sql_fail(c->db, d, r->where);
		if (st == STATUS_OK)
			doc = t.doc;
		else if (st != STATUS_ERR_KB_INVALID)
			diag_set(d, st, "%s: %s", r->where, d && d->msg[0] ? d->msg : status_str(st));
	}
	if (st == STATUS_OK)
		st = run_checks(c, native ? K_NATIVE : K_FOREIGN, doc, r, t.inactive, d);
	for (size_t i = 0; st == STATUS_OK && i < NINSERTS; i++) {
		if (!(q = stmt(c, NCHECKS + i, inserts[i]))) {
			st = sql_fail(c->db, d, r->where);
			break;
		}
		bind_record(q, doc, r->name, NULL, t.inactive, native ? NULL : r->doc, false);
		if (sqlite3_step(q) != SQLITE_DONE)
			st = sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_PRIMARYKEY
				     ? diag_set(d, STATUS_ERR_KB_INVALID, "%s: duplicate id", r->where)
				     : sql_fail(c->db, d, r->where);
		sqlite3_reset(q);
	}
	if (st == STATUS_OK) {
		char *id = NULL;
		if ((q = stmt(c, S_ID, "SELECT ?1->>'$.id'"))) {
			sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW)
				id = strdup((const char *)sqlite3_column_text(q, 0));
			sqlite3_reset(q);
		}
		st = id ? fold_ranges(c, doc, id, r->where, d) : STATUS_ERR_NOMEM;
		free(id);
	}
	if (st == STATUS_OK && notes) {
		*notes = t.notes;
		t.notes = NULL;
	}
	osv_translation_free(&t);
	return st;
}

enum status kb_schema_create(sqlite3 *db, struct diag *d)
{
	if (kb_register_functions(db) != SQLITE_OK ||
	    sqlite3_exec(db, KB_SCHEMA_SQL, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(db, d, "schema");
	return STATUS_OK;
}

static enum status compile_file(struct kb_compiler *c, const char *path, struct diag *d)
{
	char *doc = NULL;
	size_t len = 0;
	enum status st = fileio_read(path, ENTRY_MAX, &doc, &len, d);
	struct kb_record r = {.doc = doc, .name = basename_of(path), .where = path,
			      .id_is_file = true, .native_only = true};

	if (st != STATUS_OK)
		return st;
	/* JSON is UTF-8 text; SQLite's JSON functions would pass other bytes on. */
	if (text_check(path, doc, len, "a KB entry", d) != STATUS_OK)
		st = STATUS_ERR_KB_INVALID;
	else
		st = kb_compile_record(c, &r, NULL, d);
	free(doc);
	return st;
}

enum status kb_compile(sqlite3 *db, const char *const *files, size_t nfiles,
		       struct diag *d)
{
	struct kb_compiler *c = NULL;
	enum status st = kb_schema_create(db, d);

	if (st == STATUS_OK)
		st = kb_compiler_new(db, &c, d);
	if (st != STATUS_OK || sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		kb_compiler_free(c);
		return st != STATUS_OK ? st : sql_fail(db, d, "schema");
	}
	for (size_t i = 0; i < nfiles && st == STATUS_OK; i++)
		st = compile_file(c, files[i], d);
	kb_compiler_free(c);
	if (st == STATUS_OK &&
	    sqlite3_exec(db,
			 "INSERT INTO meta VALUES('schema_version', 1);"
			 "INSERT INTO meta SELECT 'kb_version', ifnull(max(substr(modified, 1, 10)), 'empty')"
			 " || '.' || count(*) FROM entry;"
			 KB_FTS_OPTIMIZE_SQL
			 "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
		st = sql_fail(db, d, "meta");
	if (st != STATUS_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return st;
}
