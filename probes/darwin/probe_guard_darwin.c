/* probe_guard_darwin.c - no PDEATHSIG on macOS: a kqueue watchdog thread
 * kills the probe's process group when the runner exits. */
#include "../probe_guard.h"

#include <pthread.h>
#include <signal.h>
#include <sys/event.h>
#include <unistd.h>

static int watch_kq = -1;

static void *watchdog(void *arg)
{
	struct kevent ev;

	(void)arg;
	for (;;) {
		int n = kevent(watch_kq, NULL, 0, &ev, 1, NULL);
		if (n > 0 || getppid() == 1)
			break;
	}
	kill(0, SIGKILL); /* the whole probe process group, this one too */
	_exit(137);
}

bool probe_guard_child(pid_t parent, int death_fd)
{
	struct kevent ev;
	pthread_t t;

	(void)death_fd;
	watch_kq = kqueue();
	if (watch_kq < 0)
		return false;
	EV_SET(&ev, parent, EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, 0, NULL);
	/* ESRCH: the parent is already gone. */
	if (kevent(watch_kq, &ev, 1, NULL, 0, NULL) != 0)
		return false;
	if (pthread_create(&t, NULL, watchdog, NULL) != 0)
		return false;
	pthread_detach(t);
	return getppid() == parent;
}

/* Helpers share the probe's process group, which the child's watchdog
 * kills; when the child itself ends, the runner kills the group. */
bool probe_guard_helper(pid_t parent)
{
	return getppid() == parent;
}
