/* kb_schema.h - the tables of a compiled KB. */
#ifndef QUIRK_KB_SCHEMA_H
#define QUIRK_KB_SCHEMA_H

/* entry.probe_decides is a JSON list of the probe results ("pass",
 * "fail") that settle the verdict on their own.
 * symptom_pattern holds Hyperscan expressions for messages with variable
 * parts (errno values, fd numbers); each matches one of the entry's exact
 * symptom strings, which stay what search and display show.
 * entry.doc keeps the whole OSV record so export loses nothing; the other
 * tables are the parts matching and display read. vrange holds OSV range
 * events already folded into intervals [lo, hi) or [lo, hi] (hi_incl),
 * lo NULL meaning "from the first version", hi NULL "not fixed"; a listed
 * version is the interval [v, v]. vgroup_when holds facts that must equal
 * a value for a group to apply (a distribution release). entry.inactive
 * says why an entry is never judged (withdrawn, nothing quirk can match),
 * NULL for the others. */
/* Reference types that count as a primary source for a built-in entry:
 * the change itself, the vendor's word, or the report with the evidence.
 * Articles, discussions and web pages support, they do not prove. */
#define KB_PRIMARY_REF_TYPES "('FIX','ADVISORY','REPORT','INTRODUCED','EVIDENCE','PACKAGE','GIT')"

#define KB_SCHEMA_SQL                                                          \
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"                 \
	"CREATE TABLE entry(id TEXT PRIMARY KEY, file TEXT NOT NULL,"          \
	" summary TEXT NOT NULL, details TEXT NOT NULL, component TEXT,"       \
	" severity TEXT NOT NULL, severity_rank INT NOT NULL, probe TEXT,"     \
	" probe_decides TEXT NOT NULL, verified TEXT, modified TEXT,"          \
	" doc TEXT NOT NULL, inactive TEXT);"                                  \
	"CREATE TABLE cond(entry_id TEXT, seq INT, fact TEXT, op TEXT,"        \
	" scheme TEXT, value TEXT, why TEXT);"                                 \
	"CREATE TABLE vgroup(entry_id TEXT, grp INT, fact TEXT, scheme TEXT,"  \
	" purl TEXT, label TEXT, undecided INT);"                              \
	"CREATE TABLE vrange(entry_id TEXT, grp INT, lo TEXT, hi TEXT,"        \
	" hi_incl INT);"                                                       \
	"CREATE TABLE vgroup_when(entry_id TEXT, grp INT, fact TEXT,"          \
	" value TEXT, op TEXT, scheme TEXT);"                                  \
	"CREATE TABLE distro_fix(entry_id TEXT, grp INT, distro TEXT,"         \
	" series TEXT, fixed TEXT, scheme TEXT, url TEXT);"                    \
	"CREATE TABLE symptom(entry_id TEXT, seq INT, text TEXT);"             \
	"CREATE TABLE symptom_pattern(entry_id TEXT, seq INT, pattern TEXT);"  \
	"CREATE TABLE workaround(entry_id TEXT, seq INT, text TEXT,"           \
	" commands TEXT);"                                                     \
	"CREATE TABLE ref(entry_id TEXT, seq INT, type TEXT, url TEXT);"       \
	"CREATE VIRTUAL TABLE entry_fts USING fts5(id UNINDEXED, summary,"     \
	" details, symptoms);"                                                 \
	"CREATE INDEX cond_e ON cond(entry_id);"                               \
	"CREATE INDEX vgroup_e ON vgroup(entry_id);"                           \
	"CREATE INDEX vgroup_when_e ON vgroup_when(entry_id, grp);"            \
	"CREATE INDEX vrange_e ON vrange(entry_id, grp);"                      \
	"CREATE INDEX distro_fix_e ON distro_fix(entry_id);"                   \
	"CREATE INDEX symptom_e ON symptom(entry_id);"                         \
	"CREATE INDEX symptom_pattern_e ON symptom_pattern(entry_id);"         \
	"CREATE INDEX workaround_e ON workaround(entry_id);"                   \
	"CREATE INDEX ref_e ON ref(entry_id);"

/* The full-text index merged into one segment once the entries are in:
 * built an entry at a time it has a segment per few entries, and every
 * search term is looked up in each. */
#define KB_FTS_OPTIMIZE_SQL "INSERT INTO entry_fts(entry_fts) VALUES('optimize');"

/* The tables holding one entry's rows (keyed by entry_id, entry by id). */
#define KB_ENTRY_TABLES                                                        \
	"cond", "vgroup", "vgroup_when", "vrange", "distro_fix", "symptom",      \
	"symptom_pattern", "workaround", "ref"

#endif
