/* anon.c - rewriting host-derived text for reports that leave the host.
 * One left-to-right pass: at each position the first rule that matches
 * replaces what it matched, so a replacement is never matched again. */
#include "anon.h"

#include <ctype.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char redacted[] = "<redacted>";

enum key_class { KEY_FREE, KEY_CONTRACT, KEY_HOST, KEY_USER, KEY_HOME, KEY_SERIAL, KEY_CMDLINE };

/* Kernel parameters whose values say how the kernel behaves and nothing
 * about the host; every other value on the command line (root devices,
 * addresses, tokens handed to init) is redacted. */
static const char *const cmdline_kept[] = {
	"vsyscall", "mitigations", "nosmt", "rdrand", "split_lock_detect", "transparent_hugepage",
	"systemd.unified_cgroup_hierarchy", "cgroup_no_v1", "cgroup_enable", "swapaccount", "spectre_v2",
	"spec_store_bypass_disable", "tsx", "nopti", "pti", "retbleed", "gather_data_sampling", "iommu",
	"intel_iommu", "amd_iommu", "kvm.nx_huge_pages", "ibt", "init_on_alloc", "init_on_free",
	"lsm", "apparmor", "selinux", "audit", "preempt", "numa_balancing", "hugepages", "default_hugepagesz",
};

static const struct {
	const char *key;
	enum key_class cls;
} identity_keys[] = {
	{"host.name", KEY_HOST}, {"hostname", KEY_HOST}, {"user.name", KEY_USER},
	{"user", KEY_USER},      {"user.home", KEY_HOME}, {"home", KEY_HOME},
};

/* The last component of a key (after its last dot). */
static const struct {
	const char *word;
	enum key_class cls;
	bool part; /* the word anywhere in the component, not the whole of it */
} key_words[] = {
	{"hostname", KEY_HOST, false},  {"nodename", KEY_HOST, false},   {"username", KEY_USER, false},
	{"serial", KEY_SERIAL, true},   {"uuid", KEY_SERIAL, true},      {"hwaddr", KEY_SERIAL, true},
	{"machine_id", KEY_SERIAL, true}, {"machine-id", KEY_SERIAL, true}, {"hostid", KEY_SERIAL, true},
	{"mac", KEY_SERIAL, false},     {"mac_address", KEY_SERIAL, false}, {"macaddr", KEY_SERIAL, false},
};

static enum key_class classify(const char *key)
{
	const char *last;
	size_t n;

	if (!key)
		return KEY_FREE;
	if (!strcmp(key, "os.kernel.cmdline"))
		return KEY_CMDLINE;
	for (size_t i = 0; i < sizeof(identity_keys) / sizeof(identity_keys[0]); i++)
		if (!strcmp(key, identity_keys[i].key))
			return identity_keys[i].cls;
	last = strrchr(key, '.');
	last = last ? last + 1 : key;
	for (size_t i = 0; i < sizeof(key_words) / sizeof(key_words[0]); i++)
		if (key_words[i].part ? strstr(last, key_words[i].word) != NULL : !strcmp(last, key_words[i].word))
			return key_words[i].cls;
	/* A probe's summary is free text, though the contract lists it. */
	n = strlen(key);
	if (!strncmp(key, "probe.", 6) && n > 8 && !strcmp(key + n - 8, ".summary"))
		return KEY_FREE;
	return facts_key_known(key) ? KEY_CONTRACT : KEY_FREE;
}

void anon_init(struct anon *a)
{
	memset(a, 0, sizeof(*a));
}

void anon_add_home(struct anon *a, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n < 2 || dir[0] != '/' || n >= sizeof(a->homes[0]) || a->nhomes == ANON_MAX)
		return;
	for (size_t i = 0; i < a->nhomes; i++)
		if (strlen(a->homes[i]) == n && !strncmp(a->homes[i], dir, n))
			return;
	snprintf(a->homes[a->nhomes++], sizeof(a->homes[0]), "%.*s", (int)n, dir);
}

static void add_name(struct anon *a, const char *name, size_t n, const char *mark)
{
	if (n < 2 || n >= sizeof(a->names[0].text) || a->nnames == ANON_MAX)
		return;
	for (size_t i = 0; i < a->nnames; i++)
		if (strlen(a->names[i].text) == n && !strncasecmp(a->names[i].text, name, n))
			return;
	snprintf(a->names[a->nnames].text, sizeof(a->names[0].text), "%.*s", (int)n, name);
	a->names[a->nnames++].mark = mark;
}

void anon_add_user(struct anon *a, const char *name)
{
	if (name)
		add_name(a, name, strlen(name), "<user>");
}

void anon_add_host(struct anon *a, const char *name)
{
	if (!name)
		return;
	add_name(a, name, strlen(name), "<host>");
	add_name(a, name, strcspn(name, "."), "<host>");
}

void anon_learn_facts(struct anon *a, const struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct fact *x = &f->v[i];
		if (x->type != FACT_STR)
			continue;
		switch (classify(x->key)) {
		case KEY_HOST: anon_add_host(a, x->str); break;
		case KEY_USER: anon_add_user(a, x->str); break;
		case KEY_HOME: anon_add_home(a, x->str); break;
		default: break;
		}
	}
}

void anon_learn_system(struct anon *a)
{
	const struct passwd *pw = getpwuid(getuid());
	char host[256];

	if (pw) {
		anon_add_user(a, pw->pw_name);
		anon_add_home(a, pw->pw_dir);
	}
	anon_add_home(a, getenv("HOME"));
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		anon_add_host(a, host);
	}
}

static bool is_alnum(char c)
{
	return isalnum((unsigned char)c);
}

static bool is_word(char c)
{
	return is_alnum(c) || c == '_';
}

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c);
}

/* Where a path component ends. */
static bool path_end(char c)
{
	return !c || strchr("/ \t\r\n\"'`,;:()[]{}<>|=", c);
}

/* Whether a path can start at s[i] (not inside a word or another path). */
static bool path_start(const char *s, size_t i)
{
	return i == 0 || !(is_alnum(s[i - 1]) || strchr("_.-~/", s[i - 1]));
}

/* xx:xx:xx:xx:xx:xx or with dashes, not part of a longer run. */
static size_t mac_len(const char *p)
{
	char sep = p[0] && p[1] ? p[2] : 0;

	if (sep != ':' && sep != '-')
		return 0;
	for (int g = 0; g < 6; g++) {
		const char *q = p + 3 * g;
		if (!is_hex(q[0]) || !is_hex(q[1]) || (g < 5 && q[2] != sep))
			return 0;
	}
	return is_alnum(p[17]) || (p[17] == sep && is_hex(p[18])) ? 0 : 17;
}

/* Whether s[i] continues a run of hex groups (aa:bb:...), so that a MAC
 * or UUID found there would be the tail of something longer. */
static bool longer_run(const char *s, size_t i)
{
	return i >= 2 && (s[i - 1] == ':' || s[i - 1] == '-') && is_hex(s[i - 2]);
}

/* 8-4-4-4-12 hex digits. */
static size_t uuid_len(const char *p)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	size_t n = 0;

	for (int g = 0; g < 5; g++) {
		for (int k = 0; k < groups[g]; k++, n++)
			if (!is_hex(p[n]))
				return 0;
		if (g < 4 && p[n++] != '-')
			return 0;
	}
	return is_alnum(p[n]) ? 0 : n;
}

/* Serial numbers (C02XK0ABJGH5, 5CG1234XYZ) and bare hardware ids (a MAC
 * without separators, a machine-id). Digits alone are counts; lowercase
 * or mixed-case words are words; "0x..." is a number. */
static bool serial_like(const char *p, size_t n)
{
	size_t digits = 0, upper = 0, lower = 0, hex = 0;

	for (size_t i = 0; i < n; i++) {
		digits += isdigit((unsigned char)p[i]) != 0;
		upper += isupper((unsigned char)p[i]) != 0;
		lower += islower((unsigned char)p[i]) != 0;
		hex += is_hex(p[i]);
	}
	if (n >= 8 && !lower && digits >= 2 && upper >= 2)
		return true;
	return (n == 12 || n == 32) && hex == n && digits && digits < n && !(upper && lower);
}

/* The longest learned name at s[i], as a whole word; its length or 0. */
static size_t name_at(const struct anon *a, const char *s, size_t i, const char **mark)
{
	size_t best = 0;

	if (i > 0 && is_word(s[i - 1]))
		return 0;
	for (size_t k = 0; k < a->nnames; k++) {
		size_t n = strlen(a->names[k].text);
		if (n > best && !strncasecmp(s + i, a->names[k].text, n) && !is_word(s[i + n])) {
			best = n;
			*mark = a->names[k].mark;
		}
	}
	return best;
}

/* A home directory at the start of a path: its length or 0. */
static size_t home_at(const struct anon *a, const char *s, size_t i)
{
	size_t best = 0;

	if (!path_start(s, i))
		return 0;
	for (size_t k = 0; k < a->nhomes; k++) {
		size_t n = strlen(a->homes[k]);
		if (n > best && !strncmp(s + i, a->homes[k], n) && path_end(s[i + n]))
			best = n;
	}
	if (!best && !strncmp(s + i, "/root", 5) && path_end(s[i + 5]))
		best = 5;
	return best;
}

static void rewrite(FILE *out, const struct anon *a, bool free_text, const char *s)
{
	static const char *const user_dirs[] = {"/home/", "/Users/"};
	size_t i = 0, n;

	while (s[i]) {
		const char *mark = NULL, *dir = NULL;
		bool boundary = i == 0 || !is_alnum(s[i - 1]);

		if ((n = home_at(a, s, i))) {
			fputc('~', out);
			i += n;
			continue;
		}
		for (size_t k = 0; k < 2; k++)
			if (!strncmp(s + i, user_dirs[k], strlen(user_dirs[k])))
				dir = user_dirs[k];
		if (dir && !path_end(s[i + strlen(dir)])) {
			size_t name = strlen(dir);
			while (!path_end(s[i + name]))
				name++;
			if (path_start(s, i))
				fputc('~', out);
			else
				fprintf(out, "%s<user>", dir);
			i += name;
			continue;
		}
		if (boundary && !longer_run(s, i) && ((n = mac_len(s + i)) || (n = uuid_len(s + i)))) {
			fputs(redacted, out);
			i += n;
			continue;
		}
		if (free_text && (n = name_at(a, s, i, &mark))) {
			/* The host's domain goes with it: <host>, not <host>.corp.example. */
			while (!strcmp(mark, "<host>") && s[i + n] == '.' && is_alnum(s[i + n + 1]))
				for (n++; is_alnum(s[i + n]) || s[i + n] == '-'; n++)
					;
			fputs(mark, out);
			i += n;
			continue;
		}
		if (boundary && is_alnum(s[i])) {
			/* A whole token: kept, or redacted if serial-like. */
			for (n = 0; is_alnum(s[i + n]); n++)
				;
			if (free_text && serial_like(s + i, n))
				fputs(redacted, out);
			else
				fwrite(s + i, 1, n, out);
			i += n;
			continue;
		}
		fputc(s[i++], out);
	}
}

/* The kernel command line word by word: bare switches ("quiet") and the
 * values of cmdline_kept stay, other values become "<redacted>", and
 * everything after "--" (arguments for init) goes. */
static void rewrite_cmdline(FILE *out, const char *s)
{
	bool first = true;

	while (*s) {
		size_t n = strcspn(s, " \t"), k;
		if (!n) {
			s++;
			continue;
		}
		if (n == 2 && !strncmp(s, "--", 2)) {
			fprintf(out, "%s-- %s", first ? "" : " ", redacted);
			return;
		}
		k = strcspn(s, "=");
		bool keep = k >= n;
		for (size_t i = 0; !keep && i < sizeof(cmdline_kept) / sizeof(cmdline_kept[0]); i++)
			keep = strlen(cmdline_kept[i]) == k && !strncmp(s, cmdline_kept[i], k);
		if (keep)
			fprintf(out, "%s%.*s", first ? "" : " ", (int)n, s);
		else
			fprintf(out, "%s%.*s=%s", first ? "" : " ", (int)k, s, redacted);
		first = false;
		s += n;
	}
}

char *anon_text(const struct anon *a, const char *key, const char *s)
{
	enum key_class cls = classify(key);
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	switch (cls) {
	case KEY_HOST: return strdup("<host>");
	case KEY_USER: return strdup("<user>");
	case KEY_HOME: return strdup("~");
	case KEY_SERIAL: return strdup(redacted);
	default: break;
	}
	out = open_memstream(&buf, &len);
	if (!out)
		return NULL;
	if (cls == KEY_CMDLINE)
		rewrite_cmdline(out, s);
	else
		rewrite(out, a, cls == KEY_FREE, s);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Replaces *slot with its rewritten self. */
static enum status rewrite_slot(const struct anon *a, const char *key, char **slot)
{
	char *t = anon_text(a, key, *slot);

	if (!t)
		return STATUS_ERR_NOMEM;
	free(*slot);
	*slot = t;
	return STATUS_OK;
}

enum status anon_facts(const struct anon *a, struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct fact *x = &f->v[i];
		if (x->type == FACT_STR && rewrite_slot(a, x->key, &x->str) != STATUS_OK)
			return STATUS_ERR_NOMEM;
		for (size_t k = 0; x->type == FACT_LIST && k < x->nlist; k++)
			if (rewrite_slot(a, x->key, &x->list[k]) != STATUS_OK)
				return STATUS_ERR_NOMEM;
	}
	return STATUS_OK;
}

enum status anon_probe_result(const struct anon *a, struct probe_result *r)
{
	char *summary = anon_text(a, NULL, r->summary), *details = anon_text(a, NULL, r->details);
	enum status st = summary && details ? STATUS_OK : STATUS_ERR_NOMEM;

	if (st == STATUS_OK) {
		snprintf(r->summary, sizeof(r->summary), "%s", summary);
		snprintf(r->details, sizeof(r->details), "%s", details);
	}
	free(summary);
	free(details);
	return st;
}
