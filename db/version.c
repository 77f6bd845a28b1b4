/* version.c - version ordering. Each scheme parses into the same shape
 * where it can (numbers, then a pre-release tail), dpkg has its own rules. */
#include "version.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#define VER_MAX_PARTS 8

static const char *const scheme_names[] = {
#define VER_NAME(e, name, desc) name,
	VER_SCHEME_TABLE(VER_NAME)
#undef VER_NAME
};

enum status ver_scheme_from_name(const char *name, enum ver_scheme *out)
{
	for (int i = 0; i < VER__COUNT; i++)
		if (name && strcmp(name, scheme_names[i]) == 0) {
			*out = (enum ver_scheme)i;
			return STATUS_OK;
		}
	return STATUS_ERR_SCHEME;
}

const char *ver_scheme_name(enum ver_scheme s)
{
	return (unsigned)s < VER__COUNT ? scheme_names[s] : "?";
}

/* Numbers, then a pre-release marker that sorts below the release:
 * pre_rank 0 = release; 1.. = pre-release kinds in order (beta < rc);
 * pre/pre_len is the raw semver pre-release for identifier comparison. */
struct nver {
	uint64_t part[VER_MAX_PARTS];
	int nparts;
	int pre_rank;
	uint64_t pre_num;
	const char *pre;
	size_t pre_len;
};

/* Reads up to max dot-separated numbers; returns the end, or NULL if
 * there is no leading number or a number overflows. */
static const char *read_numbers(const char *s, struct nver *v, int max)
{
	v->nparts = 0;
	while (v->nparts < max && isdigit((unsigned char)*s)) {
		uint64_t n = 0;
		while (isdigit((unsigned char)*s)) {
			if (n > (UINT64_MAX - 9) / 10)
				return NULL;
			n = n * 10 + (uint64_t)(*s++ - '0');
		}
		v->part[v->nparts++] = n;
		if (*s != '.' || !isdigit((unsigned char)s[1]))
			break;
		s++;
	}
	return v->nparts ? s : NULL;
}

static bool parse_linux(const char *s, struct nver *v)
{
	const char *end;

	memset(v, 0, sizeof(*v));
	end = read_numbers(s, v, 3);
	if (!end || v->nparts < 2)
		return false;
	/* "-rcN" is a pre-release of the version before it; anything else
	 * after the numbers is a local version (distro, flavour) and does
	 * not order upstream releases. */
	if (strncmp(end, "-rc", 3) == 0 && isdigit((unsigned char)end[3])) {
		v->pre_rank = 1;
		for (end += 3; isdigit((unsigned char)*end); end++)
			v->pre_num = v->pre_num * 10 + (uint64_t)(*end - '0');
	}
	return true;
}

static bool parse_dotted(const char *s, struct nver *v, int max_parts)
{
	memset(v, 0, sizeof(*v));
	return read_numbers(s, v, max_parts) != NULL;
}

static bool parse_macos(const char *s, struct nver *v)
{
	const char *end;

	memset(v, 0, sizeof(*v));
	end = read_numbers(s, v, 4);
	return end && *end == '\0';
}

static bool semver_ident_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

static bool parse_semver(const char *s, struct nver *v)
{
	const char *end, *plus;

	memset(v, 0, sizeof(*v));
	if (*s == 'v')
		s++;
	end = read_numbers(s, v, 3);
	if (!end)
		return false;
	if (*end == '-') {
		const char *p = end + 1, *dot;
		plus = strchr(p, '+');
		v->pre = p;
		v->pre_len = plus ? (size_t)(plus - p) : strlen(p);
		v->pre_rank = 1;
		if (v->pre_len == 0)
			return false;
		for (const char *q = p; q < p + v->pre_len; q = dot + 1) {
			dot = memchr(q, '.', (size_t)(p + v->pre_len - q));
			if (!dot)
				dot = p + v->pre_len;
			if (!semver_ident_ok(q, (size_t)(dot - q)))
				return false;
		}
		end = p + v->pre_len;
	}
	if (*end == '+')
		return end[1] != '\0';
	return *end == '\0';
}

static bool parse_go(const char *s, struct nver *v)
{
	const char *end;

	memset(v, 0, sizeof(*v));
	if (strncmp(s, "go", 2) == 0)
		s += 2;
	end = read_numbers(s, v, 3);
	if (!end)
		return false;
	if (strncmp(end, "beta", 4) == 0 || strncmp(end, "rc", 2) == 0) {
		v->pre_rank = end[0] == 'b' ? 1 : 2;
		end += end[0] == 'b' ? 4 : 2;
		if (!isdigit((unsigned char)*end))
			return false;
		while (isdigit((unsigned char)*end))
			v->pre_num = v->pre_num * 10 + (uint64_t)(*end++ - '0');
	}
	return *end == '\0';
}

/* A byte count as resource limits are written: bytes, or a number and a
 * binary unit (one space allowed between); "unlimited" orders above every
 * count, as RLIM_INFINITY does. Decimal units (MB) are refused: which
 * multiple they mean is a guess. */
static bool parse_size(const char *s, struct nver *v)
{
	static const struct {
		const char *unit;
		int shift;
	} units[] = {{"", 0}, {"B", 0}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}};
	const char *end;

	memset(v, 0, sizeof(*v));
	if (!strcmp(s, "unlimited")) {
		v->part[0] = UINT64_MAX;
		v->nparts = 1;
		return true;
	}
	end = read_numbers(s, v, 1);
	if (!end || *end == '.')
		return false;
	if (*end == ' ' && end[1])
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (v->part[0] > (UINT64_MAX >> units[i].shift))
			return false;
		v->part[0] <<= units[i].shift;
		return true;
	}
	return false;
}

/* FF-MM-SS:REV, all hex: the CPU signature orders first, so a range from
 * "06-b7-01:0" to "06-b7-01:12b" holds that one signature's revisions below
 * 0x12b and nothing of another CPU. */
static bool parse_x86sig(const char *s, struct nver *v)
{
	static const char seps[] = "--:";

	memset(v, 0, sizeof(*v));
	for (int i = 0; i < 4; i++) {
		uint64_t n = 0;
		const char *start = s;
		while (isxdigit((unsigned char)*s)) {
			if (s - start >= (i < 3 ? 2 : 8))
				return false;
			n = n * 16 + (uint64_t)(isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10));
			s++;
		}
		if (s == start || (i < 3 && *s++ != seps[i]))
			return false;
		v->part[v->nparts++] = n;
	}
	return *s == '\0';
}

/* Java before 9 numbered itself 1.N.0_U ("1.8.0_372" is 8u372); from 9
 * on N.minor.security ("11.0.16"). The old form is read as N.0.U so both
 * order on one line; a build suffix ("-b07") is ignored. */
static bool parse_java(const char *s, struct nver *v)
{
	const char *end;

	memset(v, 0, sizeof(*v));
	if (s[0] == '1' && s[1] == '.' && isdigit((unsigned char)s[2])) {
		end = read_numbers(s + 2, v, 3);
		if (!end || v->part[0] < 2 || v->part[0] > 8)
			return false;
		if (*end == '_') {
			struct nver u;
			const char *e2 = read_numbers(end + 1, &u, 1);
			if (!e2)
				return false;
			v->part[2] = u.part[0];
			v->nparts = 3;
		}
		return true;
	}
	return parse_dotted(s, v, VER_MAX_PARTS);
}

static bool parse_nver(enum ver_scheme s, const char *str, struct nver *v)
{
	switch (s) {
	case VER_LINUX:
		return parse_linux(str, v);
	case VER_SEMVER:
		return parse_semver(str, v);
	case VER_MACOS:
		return parse_macos(str, v);
	case VER_GO:
		return parse_go(str, v);
	case VER_DOTTED:
		return parse_dotted(str, v, VER_MAX_PARTS);
	case VER_SIZE:
		return parse_size(str, v);
	case VER_X86SIG:
		return parse_x86sig(str, v);
	case VER_JAVA:
		return parse_java(str, v);
	default:
		return false;
	}
}

/* Two runs of digits as numbers, without overflow: leading zeros
 * stripped, then the longer is larger. */
static int cmp_digits(const char *p, size_t pn, const char *q, size_t qn)
{
	while (pn > 1 && *p == '0')
		p++, pn--;
	while (qn > 1 && *q == '0')
		q++, qn--;
	if (pn != qn)
		return pn < qn ? -1 : 1;
	int c = memcmp(p, q, pn);
	return (c > 0) - (c < 0);
}

/* Bytewise, a prefix first (ASCII order, as semver and Ruby's String#<=>). */
static int cmp_text(const char *p, size_t pn, const char *q, size_t qn)
{
	int c = memcmp(p, q, pn < qn ? pn : qn);

	if (c)
		return c < 0 ? -1 : 1;
	return (pn > qn) - (pn < qn);
}

/* Semver 2.0 pre-release precedence: identifiers left to right, numeric
 * ones numerically and below alphanumeric ones, fewer fields first. */
static int cmp_semver_pre(const struct nver *a, const struct nver *b)
{
	const char *p = a->pre, *pe = a->pre + a->pre_len;
	const char *q = b->pre, *qe = b->pre + b->pre_len;

	while (p < pe && q < qe) {
		const char *pd = memchr(p, '.', (size_t)(pe - p));
		const char *qd = memchr(q, '.', (size_t)(qe - q));
		size_t pn, qn;
		bool pnum = true, qnum = true;
		if (!pd)
			pd = pe;
		if (!qd)
			qd = qe;
		pn = (size_t)(pd - p);
		qn = (size_t)(qd - q);
		for (size_t i = 0; i < pn; i++)
			pnum = pnum && isdigit((unsigned char)p[i]);
		for (size_t i = 0; i < qn; i++)
			qnum = qnum && isdigit((unsigned char)q[i]);
		if (pnum && qnum) {
			int c = cmp_digits(p, pn, q, qn);
			if (c)
				return c;
		} else if (pnum != qnum) {
			return pnum ? -1 : 1;
		} else {
			int c = cmp_text(p, pn, q, qn);
			if (c)
				return c;
		}
		p = pd + 1;
		q = qd + 1;
	}
	if (p < pe)
		return 1;
	if (q < qe)
		return -1;
	return 0;
}

static int cmp_nver(enum ver_scheme s, const struct nver *a,
		    const struct nver *b)
{
	int n = a->nparts > b->nparts ? a->nparts : b->nparts;

	/* Missing parts are zero: 5.4 == 5.4.0, go1.14 == go1.14.0. */
	for (int i = 0; i < n; i++) {
		uint64_t x = i < a->nparts ? a->part[i] : 0;
		uint64_t y = i < b->nparts ? b->part[i] : 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (a->pre_rank == 0 || b->pre_rank == 0) {
		if (a->pre_rank == b->pre_rank)
			return 0;
		return a->pre_rank == 0 ? 1 : -1;
	}
	if (s == VER_SEMVER)
		return cmp_semver_pre(a, b);
	if (a->pre_rank != b->pre_rank)
		return a->pre_rank < b->pre_rank ? -1 : 1;
	if (a->pre_num != b->pre_num)
		return a->pre_num < b->pre_num ? -1 : 1;
	return 0;
}

/* dpkg: [epoch:]upstream[-revision], compared as in dpkg's verrevcmp(). */
struct dver {
	uint64_t epoch;
	const char *up, *up_end, *rev, *rev_end;
};

static bool parse_dpkg(const char *s, struct dver *v)
{
	const char *colon = strchr(s, ':'), *dash;

	v->epoch = 0;
	if (colon) {
		if (colon == s)
			return false;
		for (const char *p = s; p < colon; p++) {
			if (!isdigit((unsigned char)*p) ||
			    v->epoch > (UINT64_MAX - 9) / 10)
				return false;
			v->epoch = v->epoch * 10 + (uint64_t)(*p - '0');
		}
		s = colon + 1;
	}
	dash = strrchr(s, '-');
	v->up = s;
	v->up_end = dash ? dash : s + strlen(s);
	v->rev = dash ? dash + 1 : s + strlen(s);
	v->rev_end = s + strlen(s);
	if (v->up == v->up_end || !isdigit((unsigned char)*v->up))
		return false;
	if (dash && v->rev == v->rev_end)
		return false;
	for (const char *p = v->up; p < v->up_end; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".+~-:", *p))
			return false;
	for (const char *p = v->rev; p < v->rev_end; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".+~", *p))
			return false;
	return true;
}

static int dpkg_order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

static int verrevcmp(const char *a, const char *ae, const char *b,
		     const char *be)
{
	while (a < ae || b < be) {
		int first_diff = 0;
		while ((a < ae && !isdigit((unsigned char)*a)) ||
		       (b < be && !isdigit((unsigned char)*b))) {
			int ac = a < ae ? dpkg_order((unsigned char)*a) : 0;
			int bc = b < be ? dpkg_order((unsigned char)*b) : 0;
			if (ac != bc)
				return ac < bc ? -1 : 1;
			a += a < ae;
			b += b < be;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && isdigit((unsigned char)*a) && b < be &&
		       isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && isdigit((unsigned char)*a))
			return 1;
		if (b < be && isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

static int cmp_dpkg(const struct dver *a, const struct dver *b)
{
	int c;

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	c = verrevcmp(a->up, a->up_end, b->up, b->up_end);
	if (c)
		return c;
	return verrevcmp(a->rev, a->rev_end, b->rev, b->rev_end);
}

/* RubyGems (lib/rubygems/version.rb): a '-' reads as ".pre."; segments are
 * runs of digits or of letters; trailing zeros of the release part and of
 * the pre-release part (from the first letter segment on) do not count;
 * then segment by segment, a missing one is 0, letters sort before
 * numbers, numbers numerically, letters bytewise. */
#define GEM_MAX_SEGS 32

struct gseg {
	const char *p;
	size_t n;
	bool num;
};

static const char gem_pre[] = "pre";

/* VERSION_PATTERN: [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)? */
static bool gem_well_formed(const char *s)
{
	const char *p = s;
	bool dash = false;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	while (*p) {
		char sep = *p++;
		size_t run = 0;
		if (sep == '-' && !dash)
			dash = true;
		else if (sep != '.')
			return false;
		while (isalnum((unsigned char)p[run]) || (dash && p[run] == '-'))
			run++;
		if (!run)
			return false;
		p += run;
	}
	return true;
}

/* The canonical segments of s into v; 0 if s is not a gem version. */
static size_t gem_segments(const char *s, struct gseg *v)
{
	size_t n = 0, first_str = 0, out = 0;
	bool seen_str = false;

	if (!gem_well_formed(s))
		return 0;
	for (const char *p = s; *p;) {
		if (n == GEM_MAX_SEGS)
			return 0;
		if (*p == '-') {
			v[n++] = (struct gseg){gem_pre, 3, false};
			p++;
		} else if (isalnum((unsigned char)*p)) {
			bool num = isdigit((unsigned char)*p);
			size_t len = 0;
			while (p[len] && (num ? isdigit((unsigned char)p[len]) : isalpha((unsigned char)p[len])))
				len++;
			v[n++] = (struct gseg){p, len, num};
			p += len;
		} else {
			p++;
		}
	}
	for (size_t i = 0; i < n && !seen_str; i++)
		if (!v[i].num)
			seen_str = true, first_str = i;
	if (!seen_str)
		first_str = n;
	/* Drop trailing zeros of each part, moving the letter part down. */
	out = first_str;
	while (out > 0 && strspn(v[out - 1].p, "0") >= v[out - 1].n)
		out--;
	size_t end = n;
	while (end > first_str && v[end - 1].num && strspn(v[end - 1].p, "0") >= v[end - 1].n)
		end--;
	for (size_t i = first_str; i < end; i++)
		v[out++] = v[i];
	return out ? out : (v[0] = (struct gseg){"0", 1, true}, 1);
}

static int cmp_gem(const struct gseg *a, size_t an, const struct gseg *b, size_t bn)
{
	static const struct gseg zero = {"0", 1, true};

	for (size_t i = 0; i < an || i < bn; i++) {
		const struct gseg *x = i < an ? &a[i] : &zero, *y = i < bn ? &b[i] : &zero;
		int c;
		if (x->num != y->num)
			return x->num ? 1 : -1;
		c = x->num ? cmp_digits(x->p, x->n, y->p, y->n) : cmp_text(x->p, x->n, y->p, y->n);
		if (c)
			return c < 0 ? -1 : 1;
	}
	return 0;
}

bool ver_valid(enum ver_scheme s, const char *v)
{
	struct nver n;
	struct dver d;
	struct gseg g[GEM_MAX_SEGS];

	if (!v)
		return false;
	if (s == VER_DPKG)
		return parse_dpkg(v, &d);
	if (s == VER_GEM)
		return gem_segments(v, g) > 0;
	return parse_nver(s, v, &n);
}

bool ver_size_bytes(const char *s, uint64_t *out)
{
	struct nver v;

	if (!s || !parse_size(s, &v))
		return false;
	*out = v.part[0];
	return true;
}

enum status ver_compare(enum ver_scheme s, const char *a, const char *b,
			int *cmp)
{
	if (!a || !b)
		return STATUS_ERR_VERSION;
	if (s == VER_DPKG) {
		struct dver x, y;
		if (!parse_dpkg(a, &x) || !parse_dpkg(b, &y))
			return STATUS_ERR_VERSION;
		*cmp = cmp_dpkg(&x, &y);
		return STATUS_OK;
	}
	if (s == VER_GEM) {
		struct gseg x[GEM_MAX_SEGS], y[GEM_MAX_SEGS];
		size_t xn = gem_segments(a, x), yn = gem_segments(b, y);
		if (!xn || !yn)
			return STATUS_ERR_VERSION;
		*cmp = cmp_gem(x, xn, y, yn);
		return STATUS_OK;
	}
	struct nver x, y;
	if (!parse_nver(s, a, &x) || !parse_nver(s, b, &y))
		return STATUS_ERR_VERSION;
	*cmp = cmp_nver(s, &x, &y);
	return STATUS_OK;
}
