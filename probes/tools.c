/* tools.c - runs `PROG --version`-like commands in parallel, with a cache. */
#include "tools.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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
#include "probe_guard.h"

extern char **environ;

#define TOOL_OUTPUT_MAX 4096
#define TOOL_DEADLINE_MS 5000
/* v2: erl also prints its emulator flavor, docker asks the daemon. */
#define CACHE_NAME "tools-v2.tsv"

struct tool_spec {
	const char *prog;
	const char *const *null_keys; /* set to null when prog is absent */
	const char *argv[6];
	const char *skip_if; /* not run when this fact is already known */
	int deadline_ms;     /* 0: TOOL_DEADLINE_MS */
	bool uncached;       /* the answer is not the program's: never cached */
	bool (*reachable)(void); /* false: asking cannot answer, so it is not run */
};

/* Whether a Docker daemon could answer: DOCKER_HOST or a context is set,
 * or one of the sockets the engine, rootless mode and Docker Desktop
 * create exists. Without one `docker version` only waits and fails, which
 * costs every scan tens of milliseconds. */
static bool docker_reachable(void)
{
	static const char *const home_socks[] = {".docker/run/docker.sock", ".docker/desktop/docker.sock",
						 ".docker/contexts/meta"};
	const char *home = getenv("HOME"), *xdg = getenv("XDG_RUNTIME_DIR");
	char p[4096];

	if (getenv("DOCKER_HOST") || getenv("DOCKER_CONTEXT") || access("/var/run/docker.sock", F_OK) == 0)
		return true;
	if (xdg && snprintf(p, sizeof(p), "%s/docker.sock", xdg) < (int)sizeof(p) && access(p, F_OK) == 0)
		return true;
	for (size_t i = 0; home && i < sizeof(home_socks) / sizeof(home_socks[0]); i++)
		if (snprintf(p, sizeof(p), "%s/%s", home, home_socks[i]) < (int)sizeof(p) && access(p, F_OK) == 0)
			return true;
	return false;
}

static const char *const k_cc[] = {"compiler.cc", "compiler.cc.name", NULL};
static const char *const k_gcc[] = {"compiler.gcc", NULL};
static const char *const k_clang[] = {"compiler.clang", NULL};
static const char *const k_go[] = {"runtime.go", NULL};
static const char *const k_ruby[] = {"runtime.ruby", "runtime.ruby.yjit", NULL};
static const char *const k_erl[] = {"runtime.erlang", "runtime.erlang.jit", NULL};
static const char *const k_java[] = {"runtime.java", "runtime.java.openj9", NULL};
static const char *const k_node[] = {"runtime.node", NULL};
static const char *const k_spin[] = {"tool.spin", "tool.spin.hardened_runtime", "tool.spin.entitlements",
				     NULL};
static const char *const k_wasmtime[] = {"tool.wasmtime", "tool.wasmtime.hardened_runtime",
					 "tool.wasmtime.entitlements", NULL};
static const char *const k_docker[] = {"tool.docker.server", NULL};
static const char *const k_criu[] = {"tool.criu", NULL};
static const char *const k_mongod[] = {"tool.mongod", NULL};
/* Without ldd the C library is still there: its keys stay unknown. */
static const char *const k_none[] = {NULL};

const struct tool_signed tools_signed[] = {
	{"spin", true}, {"wasmtime", true}, {"node", false}, {"ruby", false}, {"java", false},
};
const size_t tools_nsigned = sizeof(tools_signed) / sizeof(tools_signed[0]);

static const struct tool_spec tool_table[] = {
	{.prog = "cc", .null_keys = k_cc, .argv = {"cc", "--version", NULL}},
	{.prog = "gcc", .null_keys = k_gcc, .argv = {"gcc", "--version", NULL}},
	{.prog = "clang", .null_keys = k_clang, .argv = {"clang", "--version", NULL}},
	{.prog = "go", .null_keys = k_go, .argv = {"go", "version", NULL}},
	/* RubyVM::YJIT exists only in rubies built with YJIT. */
	{.prog = "ruby", .null_keys = k_ruby, .argv = {"ruby", "--disable-gems", "-e",
			  "print RUBY_VERSION; print ' yjit' if defined?(RubyVM::YJIT)", NULL}},
	/* "jit 26.2.1": emu_flavor (OTP 24 and later) first, then the
	 * version, which may end in a newline (the OTP_VERSION file). */
	{.prog = "erl", .null_keys = k_erl, .argv = {"erl", "-noshell", "-eval",
			"R=erlang:system_info(otp_release),"
			"V=case file:read_file(filename:join([code:root_dir(),\"releases\",R,\"OTP_VERSION\"])) of "
			"{ok,B}->B; _->R end,"
			"F=try erlang:system_info(emu_flavor) catch error:badarg->none end,"
			"io:put_chars([atom_to_list(F),\" \",V]), halt().", NULL}},
	/* Without perf data the JVM leaves no /tmp/hsperfdata_USER behind;
	 * OpenJ9 ignores -XX options it does not know. */
	{.prog = "java", .null_keys = k_java, .argv = {"java", "-XX:-UsePerfData", "-version", NULL}},
	{.prog = "node", .null_keys = k_node, .argv = {"node", "--version", NULL}},
	{.prog = "spin", .null_keys = k_spin, .argv = {"spin", "--version", NULL}},
	{.prog = "wasmtime", .null_keys = k_wasmtime, .argv = {"wasmtime", "--version", NULL}},
	/* The daemon's version, not the CLI's; the component names tell
	 * Docker Engine from Podman's emulation. An unreachable daemon
	 * prints an error and leaves the fact unknown. */
	{.prog = "docker", .null_keys = k_docker, .argv = {"docker", "version", "--format",
			      "{{.Server.Version}}{{range .Server.Components}}|{{.Name}}{{end}}", NULL},
	 .deadline_ms = 3000, .uncached = true, .reachable = docker_reachable},
	{.prog = "criu", .null_keys = k_criu, .argv = {"criu", "--version", NULL}},
	{.prog = "mongod", .null_keys = k_mongod, .argv = {"mongod", "--version", NULL}},
	/* The C library when quirk could not ask its own (static builds,
	 * musl): host_libc_collect runs first. */
	{.prog = "ldd", .null_keys = k_none, .argv = {"ldd", "--version", NULL}, .skip_if = "libc.name"},
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

/* The start of the line after s's first; NULL at the last line. */
static const char *next_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? nl + 1 : NULL;
}

/* The line of s that starts with prefix; NULL if none does. */
static const char *line_starting(const char *s, const char *prefix)
{
	for (const char *line = s; line && *line; line = next_line(line))
		if (!strncmp(line, prefix, strlen(prefix)))
			return line;
	return NULL;
}

/* Copies the word at s (up to blank or end of line); false if empty or
 * too long. */
static bool token(const char *s, char *out, size_t size)
{
	size_t n = strcspn(s, " \t\r\n");

	if (n == 0 || n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* "jit 26.2.1": emu_flavor, or none where erlang:system_info does not
 * know it, then the OTP version. */
static bool parse_erl(const char *out, struct facts *f)
{
	size_t w = strcspn(out, " \n"), n;
	const char *p = out + w + 1;
	char v[64];

	if (out[w] != ' ')
		return false;
	n = strspn(p, "0123456789.");
	if (n == 0 || n >= sizeof(v))
		return false;
	snprintf(v, sizeof(v), "%.*s", (int)n, p);
	if (facts_set_str(f, "runtime.erlang", v) != STATUS_OK)
		return false;
	if (w == 3 && (!strncmp(out, "jit", 3) || !strncmp(out, "emu", 3)))
		return facts_set_bool(f, "runtime.erlang.jit", out[0] == 'j') == STATUS_OK;
	/* No emu_flavor: the BeamAsm JIT and the call came with OTP 24.0. */
	if (w == 4 && !strncmp(out, "none", 4) && atoi(v) > 0 && atoi(v) < 24)
		return facts_set_bool(f, "runtime.erlang.jit", false) == STATUS_OK;
	return true;
}

/* "28.2.2|Engine|containerd|runc|docker-init": the daemon's version and
 * its components. Errors (no daemon) and warnings may come on other lines.
 * Podman answers as "Podman Engine" with its own version: not Docker's. */
static bool parse_docker(const char *out, struct facts *f)
{
	char v[64];

	for (const char *line = out; line && *line; line = next_line(line)) {
		size_t n = strcspn(line, "|\n"), len = strcspn(line, "\n");
		const char *podman = strstr(line, "|Podman Engine");
		if (!isdigit((unsigned char)line[0]) || n >= sizeof(v) || !memchr(line, '.', n) ||
		    memchr(line, ' ', n))
			continue;
		if (podman && podman < line + len)
			return false;
		snprintf(v, sizeof(v), "%.*s", (int)n, line);
		return facts_set_str(f, "tool.docker.server", v) == STATUS_OK;
	}
	return false;
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
	if (!strcmp(prog, "erl"))
		return parse_erl(out, f);
	if (!strcmp(prog, "java")) {
		size_t n;
		if (!(p = strstr(out, "version \"")))
			return false;
		p += strlen("version \"");
		n = strcspn(p, "\"\n");
		if (n == 0 || n >= sizeof(v) || p[n] != '"')
			return false;
		snprintf(v, sizeof(v), "%.*s", (int)n, p);
		if (facts_set_str(f, "runtime.java", v) != STATUS_OK)
			return false;
		/* OpenJ9 names itself ("Eclipse OpenJ9 VM"); another VM line
		 * ("OpenJDK 64-Bit Server VM", "Java HotSpot(TM) ...") is not it.
		 * IBM's J9 of old ("IBM J9 VM") shares code with OpenJ9: unknown. */
		if (strstr(out, "OpenJ9"))
			return facts_set_bool(f, "runtime.java.openj9", true) == STATUS_OK;
		if (!strstr(out, "J9") && (strstr(out, " VM (") || strstr(out, " VM ")))
			return facts_set_bool(f, "runtime.java.openj9", false) == STATUS_OK;
		return true;
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
	if (!strcmp(prog, "docker"))
		return parse_docker(out, f);
	/* criu: "Version: 3.16.1" (criu/config.c); mongod: "db version v8.0.4" */
	if (!strcmp(prog, "criu") || !strcmp(prog, "mongod")) {
		const char *tag = !strcmp(prog, "criu") ? "Version: " : "db version v";
		if (!(p = line_starting(out, tag)) || !token(p + strlen(tag), v, sizeof(v)) ||
		    !isdigit((unsigned char)v[0]) || !strchr(v, '.'))
			return false;
		return facts_set_str(f, !strcmp(prog, "criu") ? "tool.criu" : "tool.mongod", v) == STATUS_OK;
	}
	if (!strcmp(prog, "ldd"))
		return tools_parse_libc(out, f);
	return false;
}

bool tools_parse_libc(const char *out, struct facts *f)
{
	char v[64];
	const char *p, *name = NULL;

	if (!strncmp(out, "glibc ", 6)) {
		/* confstr(_CS_GNU_LIBC_VERSION): "glibc 2.36" (posix/confstr.c) */
		name = "glibc";
		if (!token(out + 6, v, sizeof(v)) || !isdigit((unsigned char)v[0]))
			return false;
	} else if (!strncmp(out, "ldd ", 4) && strstr(out, "Free Software Foundation")) {
		/* glibc's ldd: "ldd (Debian GLIBC 2.36-9+deb12u9) 2.36", whatever
		 * the vendor put in the parentheses (elf/ldd.bash.in). */
		name = "glibc";
		if (!last_version_of_line(out, v, sizeof(v)))
			return false;
	} else if (!strncmp(out, "musl libc (", 11)) {
		/* musl's loader as ldd: "musl libc (x86_64)\nVersion 1.2.4"
		 * (ldso/dynlink.c) */
		name = "musl";
		if (!(p = line_starting(out, "Version ")) || !token(p + 8, v, sizeof(v)) ||
		    !isdigit((unsigned char)v[0]))
			return false;
	} else if (strstr(out, "/ld-musl-") && strstr(out, ": cannot load --version")) {
		/* An ldd script that passes "--" first (Alpine 3.10) makes the
		 * loader take --version for a file: musl, of no stated version. */
		return facts_set_str(f, "libc.name", "musl") == STATUS_OK;
	} else {
		return false;
	}
	return facts_set_str(f, "libc.name", name) == STATUS_OK &&
	       facts_set_str(f, "libc.version", v) == STATUS_OK;
}

struct run {
	char path[4096];
	struct stat sb;
	bool found, cached, done;
	bool unasked; /* found, but nothing could answer: its facts stay unknown */
	char *out;
	size_t len;
	pid_t pid;
	int fd;
	long long deadline; /* CLOCK_MONOTONIC ms */
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
			if (!r->found || r->cached || tool_table[i].uncached ||
			    strcmp(fld[0], tool_table[i].prog) ||
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
		if (!r->found || !r->out || !r->done || tool_table[i].uncached)
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

/* dup2() that also works when from is to: then the descriptor only loses
 * its close-on-exec flag. Async-signal-safe. */
static bool move_fd(int from, int to)
{
	return from == to ? fcntl(to, F_SETFD, 0) == 0 : dup2(from, to) == to;
}

/* The tool dies with quirk, even with a quirk that is killed: one that
 * hangs (docker version against a daemon that does not answer) must not
 * outlive it. PR_SET_PDEATHSIG fires when the forking thread ends; this
 * runs in the thread that collects the facts and waits for the tools. In a
 * session of its own the tool has no terminal to prompt on (ssh behind a
 * docker context asking for a password). Between fork and exec only
 * async-signal-safe calls; a tool that cannot be started exits 127. */
static void spawn_one(const struct tool_spec *t, struct run *r, char **env)
{
	pid_t parent = getpid();
	int p[2];

	if (pipe(p) != 0)
		return;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	r->pid = fork();
	if (r->pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (probe_guard_helper(parent) && null >= 0 && setsid() >= 0 && move_fd(null, 0) &&
		    move_fd(p[1], 1) && move_fd(p[1], 2))
			execve(r->path, (char *const *)t->argv, env);
		_exit(127);
	}
	close(p[1]);
	if (r->pid <= 0) {
		r->pid = 0;
		close(p[0]);
		return;
	}
	r->fd = p[0];
	r->out = calloc(1, TOOL_OUTPUT_MAX + 1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads every child's output until all are done or their deadlines pass. */
static void collect_outputs(struct run *runs)
{
	for (;;) {
		struct pollfd pfd[NTOOLS];
		size_t idx[NTOOLS], n = 0;
		long long now = now_ms(), left = -1;
		char sink[1024];

		for (size_t i = 0; i < NTOOLS; i++)
			if (runs[i].fd > 0 && runs[i].deadline > now) {
				pfd[n].fd = runs[i].fd;
				pfd[n].events = POLLIN;
				idx[n++] = i;
				if (left < 0 || runs[i].deadline - now < left)
					left = runs[i].deadline - now;
			}
		if (n == 0)
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
		/* Not started (spawn_one): no answer, as if it had not been run. */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && r->len == 0) {
			free(r->out);
			r->out = NULL;
			r->done = false;
		}
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
	for (size_t i = 0; i < NTOOLS; i++) {
		const char *skip = tool_table[i].skip_if;
		if (skip && facts_get(f, skip))
			continue;
		runs[i].found = tools_find(ctx->path, tool_table[i].prog, runs[i].path, sizeof(runs[i].path),
					   &runs[i].sb);
		runs[i].unasked = runs[i].found && tool_table[i].reachable && !tool_table[i].reachable();
	}
	if (ctx->cache_dir) {
		snprintf(cache_file, sizeof(cache_file), "%s/%s", ctx->cache_dir, CACHE_NAME);
		cache_load(cache_file, runs);
	}
	env = child_env();
	for (size_t i = 0; i < NTOOLS && env; i++)
		if (runs[i].found && !runs[i].cached && !runs[i].unasked) {
			runs[i].deadline = now_ms() + (tool_table[i].deadline_ms ? tool_table[i].deadline_ms
										  : TOOL_DEADLINE_MS);
			spawn_one(&tool_table[i], &runs[i], env);
			ran = true;
		}
	free(env);
	if (ran)
		collect_outputs(runs);
	for (size_t i = 0; i < NTOOLS; i++) {
		struct run *r = &runs[i];
		if (r->unasked)
			continue;
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
