/* output.c - standard output or an atomically replaced --output file. */
#include "output.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../probes/fileio.h"
#include "cli.h"

static struct fileio_atomic file;
static volatile sig_atomic_t file_open;

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* A killed quirk leaves no temporary file (except for SIGKILL; the name
 * PATH.tmp.XXXXXX does not end in .prom, so collectors skip it then). */
static void on_fatal(int sig)
{
	if (file_open)
		unlink(file.tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

bool output_open(const char *path)
{
	struct diag d = {""};
	struct sigaction sa = {.sa_handler = on_fatal};

	if (!path)
		return true;
	if (fileio_atomic_open(&file, path, &d) != STATUS_OK) {
		cli_error("--output %s", d.msg);
		return false;
	}
	file_open = 1;
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaction(fatal_signals[i], &sa, NULL);
	/* Nothing was written to stdout yet (main() calls this first). The
	 * whole document goes out in one write at the end, where a failure
	 * still has its errno to report (documents up to the buffer's size). */
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	if (dup2(file.fd, STDOUT_FILENO) < 0) {
		int e = errno;
		fileio_atomic_abort(&file);
		file_open = 0;
		cli_error("--output %s: %s", path, strerror(e));
		return false;
	}
	return true;
}

int output_close(int rc)
{
	struct diag d = {""};
	int flushed = fflush(stdout), e = errno;
	bool wrote = flushed == 0 && !ferror(stdout);

	if (!file_open) {
		if (!wrote)
			return cli_error("cannot write to standard output: %s",
					 flushed ? strerror(e) : "write error");
		return rc;
	}
	/* file_open stays set until the temporary name is gone, so a signal
	 * meanwhile still removes it (unlink after the rename just fails). */
	if (!wrote || rc == EXIT_ERROR) {
		fileio_atomic_abort(&file);
		file_open = 0;
		if (!wrote)
			return cli_error("--output %s: %s (left unchanged)", file.path,
					 flushed ? strerror(e) : "write error");
		return rc;
	}
	if (fileio_atomic_commit(&file, &d) != STATUS_OK)
		rc = cli_error("--output %s", d.msg);
	file_open = 0;
	return rc;
}
