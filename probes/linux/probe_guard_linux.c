/* probe_guard_linux.c - PR_SET_PDEATHSIG: the kernel kills the child. */
#include "../probe_guard.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The signal is sent when the parent exits; checking getppid() afterwards
 * closes the window in which the parent died before prctl() ran. */
static bool die_with(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		return false;
	return getppid() == parent;
}

bool probe_guard_child(pid_t parent, int death_fd)
{
	(void)death_fd;
	return die_with(parent);
}

bool probe_guard_helper(pid_t parent)
{
	return die_with(parent);
}
