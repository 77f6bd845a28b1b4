/* fuzz_profile.c - libFuzzer entry for the checklist profile loader (.quirk.json) and the judging of what it loads (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/checklist.h"
#include "db/profile.h"
#include "fuzz_host.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kb *kb;
static sqlite3_stmt *items;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct profile_meta meta;
	struct diag d;

	(void)argc;
	(void)argv;
	kb = fuzz_host_kb();
	/* The first load creates the checklist table the count reads. */
	if (profile_parse(kb, "init", "", 0, &meta, &d) != STATUS_ERR_PROFILE_INVALID ||
	    sqlite3_prepare_v2(kb->db, "SELECT count(*) FROM temp.profile_item", -1, &items, NULL) != SQLITE_OK)
		abort();
	return 0;
}

static size_t count_items(void)
{
	size_t n;

	if (sqlite3_step(items) != SQLITE_ROW)
		abort();
	n = (size_t)sqlite3_column_int64(items, 0);
	sqlite3_reset(items);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct profile_meta meta;
	struct diag d = {""};
	struct check *v = NULL;
	size_t n = 0;
	enum status st;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	st = profile_parse(kb, "fuzz", text, size, &meta, &d);
	if (st != STATUS_OK) {
		/* Refused with the reason, the checklist left empty. */
		if ((st != STATUS_ERR_PROFILE_INVALID && st != STATUS_ERR_NOMEM) || count_items() != 0 ||
		    (st == STATUS_ERR_PROFILE_INVALID && strncmp(d.msg, "fuzz:", 5) != 0))
			abort();
		free(text);
		return 0;
	}
	/* A valid profile is one that can be judged, item for item. */
	if (meta.nitems == 0 || meta.nitems != count_items() || checklist_judge(kb, &v, &n, &d) != STATUS_OK ||
	    n != meta.nitems)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!v[i].kind || !v[i].text || !v[i].subject || !v[i].state || (unsigned)v[i].outcome > CHECK_UNDECIDED)
			abort();
	checklist_free(v, n);
	free(text);
	return 0;
}
