/* memcheck_faults.c - commits one memory fault of the kind named by its
 * argument, so the memcheck tests prove their runner catches each kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Volatile, so the compiler keeps every allocation and store below. */
static char *volatile kept;

static int invalid_read(const char *kind)
{
	/* The length comes from the argument: no compile-time bound to warn on. */
	size_t n = strlen(kind);
	char *volatile p = malloc(n);
	int c;

	if (!p)
		return 1;
	memcpy(p, kind, n);
	c = ((volatile char *)p)[n]; /* one byte past the block */
	free(p);
	return c == 'x';
}

static int uninitialised(void)
{
	/* Through a volatile pointer, so the compiler cannot see that the
	 * value was never written (and would refuse to build this). */
	int *volatile block = malloc(sizeof(int));
	int *p = block;

	if (!p)
		return 1;
	if (*p > 0)
		puts("positive");
	free(p);
	return 0;
}

/* A forked child commits the fault, or only inherits kept's block, and
 * ends with _exit() as probe children do; the parent stays clean. */
static int in_child(const char *kind, const char *child_kind)
{
	int ws;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(strcmp(child_kind, "invalid") ? 0 : invalid_read(kind));
	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws))
		return 1;
	free(kept);
	kept = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";

	if (!strcmp(kind, "none"))
		return 0;
	if (!strcmp(kind, "definite")) {
		kept = malloc(16);
		kept = NULL;
		return 0;
	}
	if (!strcmp(kind, "reachable")) {
		kept = malloc(16);
		return 0;
	}
	if (!strcmp(kind, "possible")) {
		kept = malloc(16);
		if (kept)
			kept += 8; /* only a pointer into the block's middle remains */
		return 0;
	}
	if (!strcmp(kind, "invalid"))
		return invalid_read(kind);
	if (!strcmp(kind, "uninitialised"))
		return uninitialised();
	if (!strcmp(kind, "child-invalid"))
		return in_child(kind, "invalid");
	if (!strcmp(kind, "child-inherits")) {
		kept = malloc(16);
		return in_child(kind, "");
	}
	fprintf(stderr, "usage: memcheck_faults none|definite|reachable|possible|invalid|uninitialised|"
			"child-invalid|child-inherits\n");
	return 2;
}
