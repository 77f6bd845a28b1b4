/* tools.c - runs `PROG --version`-like commands in parallel, with a cache. */
#include "tools.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "macho.h"

extern char **environ;

#define TOOL_OUTPUT_MAX 4096
#define TOOL_DEADLINE_MS 5000
#define CACHE_NAME "tools-v1.tsv"

struct tool_spec {
	const char *prog;
	const char *const *null_keys; /* set to null when prog is absent */
	const char *argv[6];
};

static const char *const k_cc[] = {"compiler.cc", "compiler.cc.name", NULL};
static const char *const k_gcc[] = {"compiler.gcc", NULL};
static const char *const k_clang[] = {"compiler.clang", NULL};
static const char *const k_go[] = {"runtime.go", NULL};
static const char *const k_ruby[] = {"runtime.ruby", "runtime.ruby.yjit", NULL};
static const char *const k_erl[] = {"runtime.erlang", NULL};
static const char *const k_java[] = {"runtime.java", NULL};
static const char *const k_node[] = {"runtime.node", NULL};
static const char *const k_spin[] = {"tool.spin", "tool.spin.hardened_runtime", "tool.spin.entitlements",
				     NULL};
static const char *const k_wasmtime[] = {"tool.wasmtime", "tool.wasmtime.hardened_runtime",
					 "tool.wasmtime.entitlements", NULL};

const struct tool_signed tools_signed[] = {
	{"spin", true}, {"wasmtime", true}, {"node", false}, {"ruby", false}, {"java", false},
};
const size_t tools_nsigned = sizeof(tools_signed) / sizeof(tools_signed[0]);

static const struct tool_spec tool_table[] = {
	{"cc", k_cc, {"cc", "--version", NULL}},
	{"gcc", k_gcc, {"gcc", "--version", NULL}},
	{"clang", k_clang, {"clang", "--version", NULL}},
	{"go", k_go, {"go", "version", NULL}},
	/* RubyVM::YJIT exists only in rubies built with YJIT. */
	{"ruby", k_ruby, {"ruby", "--disable-gems", "-e",
			  "print RUBY_VERSION; print ' yjit' if defined?(RubyVM::YJIT)", NULL}},
	{"erl", k_erl, {"erl", "-noshell", "-eval",
			"R=erlang:system_info(otp_release),"
			"V=case file:read_file(filename:join([code:root_dir(),\"releases\",R,\"OTP_VERSION\"])) of "
			"{ok,B}->B; _->R end, io:put_chars(V), halt().", NULL}},
	{"java", k_java, {"java", "-version", NULL}},
	{"node", k_node, {"node", "--version", NULL}},
	{"spin", k_spin, {"spin", "--version", NULL}},
	{"wasmtime", k_wasmtime, {"wasmtime", "--version", NULL}},
};
#define NTOOLS (sizeof(tool_table) / sizeof(tool_table[0]))

/* Copies the first version-looking token at or after s: digits and dots,
 * starting with a digit and holding at least one dot. */
static bool first_version(const char *s, char *out, size_t size)
{
	/* A token starts a word (or follows a 'v'): "12.2.0", "v20.1.0". */
	for (const char *start = s; *s; s++) {
		size_t n = 0;
		if (!isdigit((unsigned char)*s) ||
		    (s > start && isalnum((unsigned char)s[-1]) && s[-1] != 'v'))
			continue;
		while (isdigit((unsigned char)s[n]) || s[n] == '.')
			n++;
		while (n && s[n - 1] == '.')
			n--;
		if (!memchr(s, '.', n) || n >= size)
			continue;
		memcpy(out, s, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

/* Last version-looking token of the first line ("cc (Debian 12.2.0-14) 12.2.0"). */
static bool last_version_of_line(const char *s, char *out, size_t size)
{
	size_t len = strcspn(s, "\n");
	char line[512], tmp[64];
	bool found = false;
	const char *p;

	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	memcpy(line, s, len);
	line[len] = '\0';
	for (p = line; (p = strchr(p, ' ')); p++)
		if (first_version(p + 1, tmp, sizeof(tmp)) &&
		    strncmp(p + 1, tmp, strlen(tmp)) == 0 && snprintf(out, size, "%s", tmp) < (int)size)
			found = true;
	return found;
}

bool tools_parse(const char *prog, const char *out, struct facts *f)
{
	char v[64];
	const char *p;

	if (!strcmp(prog, "cc") || !strcmp(prog, "gcc") || !strcmp(prog, "clang")) {
		const char *kind;
		if ((p = strstr(out, "clang version "))) {
			kind = "clang";
			if (!first_version(p + strlen("clang version "), v, sizeof(v)))
				return false;
		} else if (strstr(out, "Free Software Foundation")) {
			kind = "gcc";
			if (!last_version_of_line(out, v, sizeof(v)))
				return false;
		} else {
			return false;
		}
		if (!strcmp(prog, "cc"))
			return facts_set_str(f, "compiler.cc", v) == STATUS_OK &&
			       facts_set_str(f, "compiler.cc.name", kind) == STATUS_OK;
		/* On macOS `gcc` is clang: then there is no GCC. */
		if (strcmp(prog, kind) != 0)
			return facts_set_null(f, strcmp(prog, "gcc") ? "compiler.clang" : "compiler.gcc") == STATUS_OK;
		return facts_set_str(f, strcmp(prog, "gcc") ? "compiler.clang" : "compiler.gcc", v) == STATUS_OK;
	}
	if (!strcmp(prog, "go")) {
		size_t n;
		if (!(p = strstr(out, "go version go")))
			return false;
		p += strlen("go version ");
		n = strcspn(p, " \n");
		if (n >= sizeof(v))
			return false;
		snprintf(v, sizeof(v), "%.*s", (int)n, p);
		return facts_set_str(f, "runtime.go", v) == STATUS_OK;
	}
	if (!strcmp(prog, "ruby")) {
		if (!first_version(out, v, sizeof(v)))
			return false;
		return facts_set_str(f, "runtime.ruby", v) == STATUS_OK &&
		       facts_set_bool(f, "runtime.ruby.yjit", strstr(out, " yjit") != NULL) == STATUS_OK;
	}
	if (!strcmp(prog, "erl")) {
		size_t n = strspn(out, "0123456789.");
		if (n == 0 || n >= sizeof(v))
			return false;
		snprintf(v, sizeof(v), "%.*s", (int)n, out);
		return facts_set_str(f, "runtime.erlang", v) == STATUS_OK;
	}
	if (!strcmp(prog, "java")) {
		size_t n;
		if (!(p = strstr(out, "version \"")))
			return false;
		p += strlen("version \"");
		n = strcspn(p, "\"\n");
		if (n == 0 || n >= sizeof(v) || p[n] != '"')
			return false;
		snprintf(v, sizeof(v), "%.*s", (int)n, p);
		return facts_set_str(f, "runtime.java", v) == STATUS_OK;
	}
	if (!strcmp(prog, "node")) {
		if (out[0] != 'v' || !first_version(out + 1, v, sizeof(v)))
			return false;
		return facts_set_str(f, "runtime.node", v) == STATUS_OK;
	}
	if (!strcmp(prog, "spin") || !strcmp(prog, "wasmtime")) {
		/* "spin 2.4.2 (...)", "wasmtime-cli 0.40.0", "wasmtime 20.0.0 (...)" */
		if (strncmp(out, prog, strlen(prog)) != 0)
			return false;
		if (!first_version(out + strlen(prog), v, sizeof(v)))
			return false;
		return facts_set_str(f, !strcmp(prog, "spin") ? "tool.spin" : "tool.wasmtime", v) == STATUS_OK;
	}
	return false;
}

struct run {
	char path[4096];
	struct stat sb;
	bool found, cached, done;
	char *out;
	size_t len;
	pid_t pid;
	int fd;
};

bool tools_find(const char *path, const char *prog, char *out, size_t size, struct stat *sb)
{
	const char *p = path;

	while (p && *p) {
		size_t n = strcspn(p, ":");
		if (n > 0 && n + strlen(prog) + 2 < size) {
			snprintf(out, size, "%.*s/%s", (int)n, p, prog);
			if (stat(out, sb) == 0 && S_ISREG(sb->st_mode) && access(out, X_OK) == 0)
				return true;
		}
		p += n + (p[n] == ':');
	}
	return false;
}

/* Cache line: prog \t path \t size \t mtime_s \t mtime_ns \t escaped output */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

#if QUIRK_HAVE_ST_MTIM
#define MTIME_NS(sb) ((sb).st_mtim.tv_nsec)
#else
#define MTIME_NS(sb) ((sb).st_mtimespec.tv_nsec)
#endif

static void cache_load(const char *file, struct run *runs)
{
	char *text = NULL, *save = NULL;

	if (fileio_read(file, 1 << 20, &text, NULL, NULL) != STATUS_OK)
		return;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *fld[6];
		int n = 0;
		for (char *p = line; n < 6; n++) {
			fld[n] = p;
			p = strchr(p, '\t');
			if (!p) {
				n++;
				break;
			}
			*p++ = '\0';
		}
		if (n != 6)
			continue;
		for (size_t i = 0; i < NTOOLS; i++) {
			struct run *r = &runs[i];
			if (!r->found || r->cached || strcmp(fld[0], tool_table[i].prog) ||
			    strcmp(fld[1], r->path) ||
			    strtoll(fld[2], NULL, 10) != (long long)r->sb.st_size ||
			    strtoll(fld[3], NULL, 10) != (long long)r->sb.st_mtime ||
			    strtol(fld[4], NULL, 10) != (long)MTIME_NS(r->sb))
				continue;
			unescape(fld[5]);
			r->out = strdup(fld[5]);
			r->cached = r->out != NULL;
		}
	}
	free(text);
}

static void cache_store(const char *dir, const struct run *runs)
{
	char file[4096];
	size_t cap = 1024, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return;
	for (size_t i = 0; i < NTOOLS; i++) {
		const struct run *r = &runs[i];
		if (!r->found || !r->out || !r->done)
			continue;
		/* worst case every byte escaped, plus the fixed fields */
		size_t need = len + strlen(r->path) + 2 * strlen(r->out) + 128;
		if (need > cap) {
			char *nb = realloc(buf, need * 2);
			if (!nb) {
				free(buf);
				return;
			}
			buf = nb;
			cap = need * 2;
		}
		len += (size_t)sprintf(buf + len, "%s\t%s\t%lld\t%lld\t%ld\t", tool_table[i].prog,
				       r->path, (long long)r->sb.st_size,
				       (long long)r->sb.st_mtime, (long)MTIME_NS(r->sb));
		for (const char *p = r->out; *p; p++) {
			if (*p == '\n' || *p == '\t' || *p == '\\') {
				buf[len++] = '\\';
				buf[len++] = *p == '\n' ? 'n' : *p == '\t' ? 't' : '\\';
			} else {
				buf[len++] = *p;
			}
		}
		buf[len++] = '\n';
	}
	snprintf(file, sizeof(file), "%s/%s", dir, CACHE_NAME);
	fileio_write_atomic(file, buf, len, NULL);
	free(buf);
}

static char **child_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) && strncmp(environ[i], "LANG=", 5))
			env[k++] = environ[i];
	env[k++] = "LC_ALL=C";
	return env;
}

static void spawn_one(const struct tool_spec *t, struct run *r, char **env)
{
	posix_spawn_file_actions_t fa;
	int p[2];

	if (pipe(p) != 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	if (posix_spawn(&r->pid, r->path, &fa, NULL, (char *const *)t->argv, env) != 0)
		r->pid = 0;
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r->pid <= 0) {
		close(p[0]);
		return;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	r->fd = p[0];
	r->out = calloc(1, TOOL_OUTPUT_MAX + 1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads every child's output until all are done or the deadline passes. */
static void collect_outputs(struct run *runs)
{
	long long deadline = now_ms() + TOOL_DEADLINE_MS;

	for (;;) {
		struct pollfd pfd[NTOOLS];
		size_t idx[NTOOLS], n = 0;
		long long left = deadline - now_ms();
		char sink[1024];

		for (size_t i = 0; i < NTOOLS; i++)
			if (runs[i].fd > 0) {
				pfd[n].fd = runs[i].fd;
				pfd[n].events = POLLIN;
				idx[n++] = i;
			}
		if (n == 0 || left <= 0)
			break;
		if (poll(pfd, n, (int)left) < 0 && errno != EINTR)
			break;
		for (size_t j = 0; j < n; j++) {
			struct run *r = &runs[idx[j]];
			ssize_t got;
			if (!pfd[j].revents)
				continue;
			if (r->out && r->len < TOOL_OUTPUT_MAX)
				got = read(r->fd, r->out + r->len, TOOL_OUTPUT_MAX - r->len);
			else
				got = read(r->fd, sink, sizeof(sink));
			if (got > 0 && r->out && r->len < TOOL_OUTPUT_MAX)
				r->len += (size_t)got;
			if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
				close(r->fd);
				r->fd = 0;
			}
		}
	}
	for (size_t i = 0; i < NTOOLS; i++) {
		struct run *r = &runs[i];
		int status = 0;
		if (r->pid <= 0)
			continue;
		if (r->fd > 0) { /* deadline passed */
			kill(r->pid, SIGKILL);
			close(r->fd);
			r->fd = 0;
		} else {
			r->done = true;
		}
		while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (r->out)
			r->out[r->len] = '\0';
	}
}

enum status tools_collect(const struct host_ctx *ctx, struct facts *f)
{
	struct run *runs;
	char cache_file[4096];
	bool ran = false;
	char **env;

	if (!ctx->path)
		return STATUS_OK;
	runs = calloc(NTOOLS, sizeof(*runs));
	if (!runs)
		return STATUS_ERR_NOMEM;
	for (size_t i = 0; i < NTOOLS; i++)
		runs[i].found = tools_find(ctx->path, tool_table[i].prog, runs[i].path, sizeof(runs[i].path),
					   &runs[i].sb);
	if (ctx->cache_dir) {
		snprintf(cache_file, sizeof(cache_file), "%s/%s", ctx->cache_dir, CACHE_NAME);
		cache_load(cache_file, runs);
	}
	env = child_env();
	for (size_t i = 0; i < NTOOLS && env; i++)
		if (runs[i].found && !runs[i].cached) {
			spawn_one(&tool_table[i], &runs[i], env);
			ran = true;
		}
	free(env);
	if (ran)
		collect_outputs(runs);
	for (size_t i = 0; i < NTOOLS; i++) {
		struct run *r = &runs[i];
		if (!r->found) {
			for (const char *const *k = tool_table[i].null_keys; *k; k++)
				facts_set_null(f, *k);
			continue;
		}
		if (r->out)
			tools_parse(tool_table[i].prog, r->out, f);
		/* On macOS the signature decides whether a JIT may run; other
		 * files (ELF) are simply not Mach-O. */
		for (size_t k = 0; k < tools_nsigned; k++)
			if (!strcmp(tools_signed[k].prog, tool_table[i].prog))
				macho_tool_facts(f, tools_signed[k].prog, r->path, facts_str(f, "cpu.arch"), NULL);
	}
	if (ran && ctx->cache_dir) {
		/* Keep entries that were valid, fresh or cached. */
		for (size_t i = 0; i < NTOOLS; i++)
			if (runs[i].cached)
				runs[i].done = true;
		cache_store(ctx->cache_dir, runs);
	}
	for (size_t i = 0; i < NTOOLS; i++)
		free(runs[i].out);
	free(runs);
	return STATUS_OK;
}
