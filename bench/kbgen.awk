# kbgen.awk - synthetic knowledge base entries for bench/kb100k.sh, shaped
# like assets/kb/*.json so that quirk-kbc accepts them and matching does
# the work real entries make it do. Deterministic (its own generator, not
# awk's rand(), so mawk and gawk write the same files).
# usage: awk -v n=100000 -v dir=DIR -f kbgen.awk
# Writes DIR/ID.json for each entry, DIR/list (their paths, for
# quirk-kbc @LIST) and DIR/symptoms (one symptom string of every 1000th
# entry, for a log that has hits).
#
# The mix, by entry number modulo 20, is what a large imported KB looks
# like: most records name packages, fewer host facts.
#   0-3   kernel: os.name and cpu.arch conditions (some cpu.flags), a
#         Linux release range (scheme linux)
#   4-5   C library or compiler: libc.name condition, a dotted range on
#         libc.version, compiler.gcc or compiler.clang
#   6-8   language runtime: runtime.java (java), runtime.node (SEMVER),
#         runtime.go (go), runtime.erlang or runtime.ruby (dotted)
#   9     tool: tool.docker.server, tool.criu or tool.mongod (dotted)
#   10-14 Debian package (os.packages, dpkg scheme, limited to Debian by
#         database_specific.when), half of them packages most Debian
#         systems have, so both the per-entry and the bulk "package not
#         installed" paths of the matcher run
#   15-19 project dependency (project.packages: npm, PyPI, crates.io, Go,
#         Maven), the bulk path on a host without lockfiles
# Every entry has 2 or 3 exact symptom strings (distinct, so the log
# matcher gets ~250,000 literals) and every fifth a symptom pattern; half
# have an alias (SYNTH-YYYY-NNNNN) for search by name. Ids, aliases and
# texts say "synth": nothing here describes a real bug.

function rnd(m) { seed = (seed * 16807) % 2147483647; return seed % m }
function pick(list,   a, k) { k = split(list, a, " "); return a[1 + rnd(k)] }
function q(s) { return "\"" s "\"" }

function cond(fact, op, value, scheme,   s) {
	s = "{\"fact\": " q(fact) ", \"op\": " q(op) ", \"value\": " value
	if (scheme != "") s = s ", \"scheme\": " q(scheme)
	return s "}"
}

# One affected[] element: ranges of type rtype over fact in scheme.
function group(eco, name, purl, fact, scheme, rtype, events, when,   s) {
	s = "{\"package\": {\"ecosystem\": " q(eco) ", \"name\": " q(name)
	if (purl != "") s = s ", \"purl\": " q(purl)
	s = s "}, \"ranges\": [{\"type\": " q(rtype) ", \"events\": [" events "]}],"
	s = s " \"database_specific\": {\"fact\": " q(fact) ", \"scheme\": " q(scheme)
	if (when != "") s = s ", \"when\": [" when "]"
	return s "}}"
}

function ev(intro, fixed) {
	return "{\"introduced\": " q(intro) "}, {\"fixed\": " q(fixed) "}"
}

# Versions in each scheme: a range [lo, hi) a few minor releases wide.
function linux_range(   maj, mn) {
	maj = 3 + rnd(4); mn = rnd(20)
	return ev(maj "." mn, maj "." (mn + 1 + rnd(3)) "." (1 + rnd(200)))
}
function dotted_range(major_lo, major_n,   maj, mn) {
	maj = major_lo + rnd(major_n); mn = rnd(40)
	return ev(maj "." mn, maj "." (mn + 1 + rnd(4)) "." rnd(10))
}
function semver_range(   maj, mn) {
	maj = rnd(25); mn = rnd(30)
	return ev(maj "." mn ".0", maj "." (mn + rnd(3)) "." (1 + rnd(20)))
}
function dpkg_range(   maj, mn) {
	maj = 1 + rnd(9); mn = rnd(30)
	return ev(maj "." mn, maj "." (mn + 1 + rnd(3)) "." rnd(9) "-" (1 + rnd(5)) "+deb" (10 + rnd(3)) "u" (1 + rnd(9)))
}

BEGIN {
	seed = 20261123
	progs = "nginx postgres redis-server envoy haproxy mysqld dockerd containerd kubelet etcd java node python3 ruby beam.smp go-build cc1 ld.so sshd systemd"
	verbs = "failed to allocate|cannot map|lost track of|refused to load|timed out waiting for|corrupted|could not lock|overflowed|rejected|aborted while reading"
	objs = "signal stack|page table entry|shared segment|vDSO page|TLS block|epoll set|futex word|rseq area|JIT region|event ring"
	split(verbs, verb, "|"); split(objs, obj, "|")
	debcommon = "openssl glibc curl systemd zlib bash coreutils tar gzip xz-utils openssh apt dpkg util-linux sqlite3 libxml2 expat pcre2 gnutls28 krb5"
	debrare = "nginx apache2 bind9 postfix dovecot samba exim4 squid mariadb-10.6 redis memcached haproxy varnish lighttpd tomcat9 php8.2 ruby3.1 golang-1.19 rustc llvm-toolchain-16"
	npm = "lodash express react webpack axios moment minimist yargs chalk debug semver ws jsonwebtoken tar undici"
	pypi = "requests urllib3 django flask jinja2 pyyaml cryptography pillow numpy setuptools pip certifi idna"
	cargo = "tokio hyper serde regex openssl rustls time chrono smallvec crossbeam-channel"
	golang = "golang.org/x/net golang.org/x/crypto github.com/gin-gonic/gin google.golang.org/grpc"
	maven = "org.apache.logging.log4j/log4j-core com.fasterxml.jackson.core/jackson-databind org.springframework/spring-core"
	flags = "avx avx2 avx512f sse4_2 rdrand rdseed sha_ni aes"
	list = dir "/list"; syms = dir "/symptoms"
	for (i = 1; i <= n; i++) {
		kind = i % 20
		prog = pick(progs)
		conds = ""; aff = ""
		if (kind <= 3) {
			id = sprintf("synth-kernel-%06d", i); comp = "kernel"
			conds = cond("os.name", "eq", q("Linux"), "") ", " cond("cpu.arch", "eq", q(rnd(4) ? "x86_64" : "arm64"), "")
			if (rnd(2)) conds = conds ", " cond("cpu.flags", "contains", q(pick(flags)), "")
			aff = group("Linux", "linux", "", "os.kernel.release", "linux", "ECOSYSTEM", linux_range(), "")
		} else if (kind <= 5) {
			id = sprintf("synth-libc-%06d", i); comp = "libc"
			conds = cond("libc.name", "eq", q("glibc"), "")
			f = pick("libc.version compiler.gcc compiler.clang")
			aff = group("GNU", f, "", f, "dotted", "ECOSYSTEM", f == "libc.version" ? dotted_range(2, 1) : dotted_range(4, 12), "")
		} else if (kind <= 8) {
			id = sprintf("synth-runtime-%06d", i); comp = "runtime"
			conds = cond("os.name", "in", "[\"Linux\", \"Darwin\"]", "")
			f = pick("runtime.java runtime.node runtime.go runtime.erlang runtime.ruby")
			if (f == "runtime.java")
				{
				maj = 8 + rnd(14); mn = rnd(20)
				aff = group("OpenJDK", "openjdk", "", f, "java", "ECOSYSTEM", ev(maj ".0." mn, maj ".0." (mn + 1 + rnd(20))), "")
			} else if (f == "runtime.node")
				aff = group("npm", "node", "", f, "semver", "SEMVER", semver_range(), "")
			else if (f == "runtime.go")
				{
				mn = rnd(23)
				aff = group("Go", "go", "", f, "go", "ECOSYSTEM", ev("go1." mn, "go1." mn "." (1 + rnd(12))), "")
			} else

				aff = group("Runtime", f, "", f, "dotted", "ECOSYSTEM", dotted_range(1, 27), "")
		} else if (kind == 9) {
			id = sprintf("synth-tool-%06d", i); comp = "tool"
			f = pick("tool.docker.server tool.criu tool.mongod")
			aff = group("Tool", f, "", f, "dotted", "ECOSYSTEM", dotted_range(1, 26), "")
		} else if (kind <= 14) {
			id = sprintf("synth-deb-%06d", i); comp = "package"
			p = rnd(2) ? pick(debcommon) : pick(debrare)
			aff = group("Debian:12", p, "pkg:deb/debian/" p, "os.packages", "dpkg", "ECOSYSTEM", dpkg_range(),
				    "{\"fact\": \"os.distro.id\", \"value\": \"debian\"}")
		} else {
			id = sprintf("synth-dep-%06d", i); comp = "package"
			e = pick("npm PyPI crates.io Go Maven")
			t = e == "npm" ? "npm" : e == "PyPI" ? "pypi" : e == "crates.io" ? "cargo" : e == "Go" ? "golang" : "maven"
			p = pick(e == "npm" ? npm : e == "PyPI" ? pypi : e == "crates.io" ? cargo : e == "Go" ? golang : maven)
			aff = group(e, p, "pkg:" t "/" p, "project.packages", "semver", "SEMVER", semver_range(), "")
		}
		v1 = verb[1 + rnd(10)]; o1 = obj[1 + rnd(10)]; code = sprintf("%s-%05X", toupper(substr(comp, 1, 3)), i)
		s1 = sprintf("%s: %s %s (%s)", prog, v1, o1, code)
		o2 = obj[1 + rnd(10)]
		s2 = sprintf("%s[%d]: fatal: %s after %d retries in %s_%d", prog, 100 + rnd(900), o2, 2 + rnd(8), comp, i)
		sy = q(s1) ", " q(s2)
		if (rnd(2)) sy = sy ", " q(sprintf("%s %s: %s %s", code, prog, verb[1 + rnd(10)], obj[1 + rnd(10)]))
		pat = ""
		if (i % 5 == 0) pat = ", \"symptom_patterns\": [" q(sprintf("fatal: %s after [0-9]+ retries in %s_%d", o2, comp, i)) "]"
		sev = pick("critical high high medium medium medium low low")
		alias = i % 2 ? "" : q(sprintf("SYNTH-%d-%05d", 2015 + rnd(11), i))
		file = dir "/" id ".json"
		printf "{\n  \"schema_version\": \"1.6.0\",\n  \"id\": %s,\n  \"modified\": \"20%02d-%02d-%02dT00:00:00Z\",\n", q(id), 18 + rnd(8), 1 + rnd(12), 1 + rnd(28) > file
		printf "  \"aliases\": [%s],\n", alias > file
		printf "  \"summary\": %s,\n", q(sprintf("Synthetic %s entry %d: %s %s %s", comp, i, prog, v1, o1)) > file
		printf "  \"details\": %s,\n", q(sprintf("Synthetic entry %d of the knowledge base benchmark (bench/kb100k.sh); it describes no real bug. Under load %s %s %s and the process stops; the message names the %s. Hosts in the affected range show it within minutes of start-up; the fixed release takes the lock before touching the %s, so upgrading is the fix and restarting only postpones it.", i, prog, v1, o1, o1, o1)) > file
		printf "  \"affected\": [%s],\n", aff > file
		printf "  \"references\": [{\"type\": \"REPORT\", \"url\": \"https://bench.invalid/synth/%d\"}, {\"type\": \"FIX\", \"url\": \"https://bench.invalid/synth/%d/fix\"}],\n", i, i > file
		printf "  \"database_specific\": {\n    \"component\": %s,\n    \"severity\": %s,\n    \"verified\": \"2026-11-23\",\n    \"probe\": null,\n", q(comp), q(sev) > file
		printf "    \"conditions\": [%s],\n    \"symptoms\": [%s]%s,\n", conds, sy, pat > file
		printf "    \"workarounds\": [{\"text\": \"Upgrade to the fixed release; until then restart %s with a lower concurrency.\", \"commands\": [\"%s --version\"]}]\n  }\n}\n", prog, prog > file
		close(file)
		print file > list
		if (i % 1000 == 0) print s1 > syms
	}
}
