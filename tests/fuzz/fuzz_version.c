/* fuzz_version.c - libFuzzer entry for version ordering: every scheme of db/version.c must be a total preorder, and the SQL vercmp() must agree with it (built by .ci/fuzz). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/kb.h"
#include "db/version.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Longer strings add nothing a parser of short fields could miss. */
#define FIELD_MAX 256

static sqlite3 *db;
static sqlite3_stmt *sql_cmp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || kb_register_functions(db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT vercmp(?1, ?2, ?3), ver_valid(?1, ?2)", -1, &sql_cmp, NULL) != SQLITE_OK)
		abort();
	return 0;
}

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

/* The C comparator on a and b, checked against ver_valid() and the SQL
 * functions: 2 when the pair cannot be ordered (either is invalid). */
static int compare(enum ver_scheme s, const char *a, const char *b)
{
	int c = 99, rc;
	bool ok = ver_compare(s, a, b, &c) == STATUS_OK;

	/* Valid versions are exactly those the comparator accepts; an error
	 * leaves *cmp alone. */
	if (ok != (ver_valid(s, a) && ver_valid(s, b)) || (!ok && c != 99))
		abort();
	sqlite3_bind_text(sql_cmp, 1, ver_scheme_name(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(sql_cmp, 2, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(sql_cmp, 3, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(sql_cmp);
	if (rc != SQLITE_ROW || sqlite3_column_int(sql_cmp, 1) != ver_valid(s, a))
		abort();
	if (ok ? sqlite3_column_type(sql_cmp, 0) != SQLITE_INTEGER || sqlite3_column_int(sql_cmp, 0) != sign(c)
	       : sqlite3_column_type(sql_cmp, 0) != SQLITE_NULL)
		abort();
	sqlite3_reset(sql_cmp);
	return ok ? sign(c) : 2;
}

/* Splits data at the first two newlines into three NUL-terminated fields. */
static void split(const uint8_t *data, size_t size, char f[3][FIELD_MAX + 1])
{
	size_t k = 0, n = 0;

	memset(f, 0, 3 * (FIELD_MAX + 1));
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n' && k < 2) {
			k++;
			n = 0;
		} else if (n < FIELD_MAX) {
			f[k][n++] = (char)data[i];
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char f[3][FIELD_MAX + 1];
	int c[3][3];
	enum ver_scheme s;

	if (size < 1)
		return 0;
	/* '0' is the first scheme, so seeds start with a digit. */
	s = (enum ver_scheme)((uint8_t)(data[0] - '0') % VER__COUNT);
	split(data + 1, size - 1, f);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			c[i][j] = compare(s, f[i], f[j]);
	for (int i = 0; i < 3; i++) {
		/* Reflexive (a version equals itself), antisymmetric. */
		if (c[i][i] != (ver_valid(s, f[i]) ? 0 : 2))
			abort();
		for (int j = 0; j < 3; j++)
			if (c[i][j] != 2 && c[i][j] != -c[j][i])
				abort();
	}
	/* Transitive: x <= y and y <= z give x <= z, in every order. */
	for (int x = 0; x < 3; x++)
		for (int y = 0; y < 3; y++)
			for (int z = 0; z < 3; z++)
				if (c[x][y] <= 0 && c[y][z] <= 0 && c[x][z] > 0)
					abort();
	/* Sizes order as their byte counts. */
	if (s == VER_SIZE) {
		uint64_t a, b;
		if (ver_size_bytes(f[0], &a) != ver_valid(s, f[0]))
			abort();
		if (ver_size_bytes(f[0], &a) && ver_size_bytes(f[1], &b) && c[0][1] != (a > b) - (a < b))
			abort();
	}
	return 0;
}
