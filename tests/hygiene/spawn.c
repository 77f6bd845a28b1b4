/* spawn.c - the processes and files the hygiene test makes: runs of
 * quirk, a daemon that never answers, and the faults the meta case plants. */
#define _GNU_SOURCE
#include "hygiene.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t spawn_run(const char *cwd, char **argv, char **env, int *out, int *err, int *pty,
		bool ignore_sigpipe)
{
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, master = -1;
	const char *slave = NULL;
	pid_t pid;

	if (pty) {
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || !(slave = ptsname(master)))
			return -1;
	} else if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, ignore_sigpipe ? SIG_IGN : SIG_DFL);
		if (chdir(cwd) != 0)
			_exit(126);
		if (pty) {
			struct winsize ws = {.ws_row = 30, .ws_col = 100};
			int s;
			setsid();
			if ((s = open(slave, O_RDWR)) < 0 || ioctl(s, TIOCSCTTY, 0) != 0)
				_exit(126);
			ioctl(s, TIOCSWINSZ, &ws);
			dup2(s, 0), dup2(s, 1), dup2(s, 2);
			if (s > 2)
				close(s);
		} else {
			int null = open("/dev/null", O_RDONLY);
			setpgid(0, 0);
			dup2(null, 0), dup2(po[1], 1), dup2(pe[1], 2);
			if (null > 2)
				close(null);
		}
		execve(argv[0], argv, env);
		_exit(127);
	}
	if (pid < 0) {
		int e = errno;
		close(master), close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		errno = e;
		return -1;
	}
	if (pty) {
		*pty = master;
		fcntl(master, F_SETFL, O_NONBLOCK);
	} else {
		close(po[1]);
		close(pe[1]);
		*out = po[0];
		*err = pe[0];
		fcntl(po[0], F_SETFL, O_NONBLOCK);
		fcntl(pe[0], F_SETFL, O_NONBLOCK);
	}
	return pid;
}

unsigned plant_faults(const struct sandbox *sb, double late_s)
{
	char **tagged = sandbox_env(sb, NULL);
	char *const plain[] = {"PLANTED=1", NULL};
	char *const argv[] = {"sleep", "300", NULL};
	char path[HYG_PATH + 64];
	unsigned files = 0;
	int fd;

	/* Two that never end, one that ends after late_s. */
	for (int k = 0; k < 3; k++) {
		pid_t mid = fork();
		if (mid == 0) {
			char late[32];
			char *const slow[] = {"sleep", late, NULL};
			snprintf(late, sizeof(late), "%.1f", late_s);
			setsid();
			if (fork() == 0)
				execvpe("sleep", k == 2 ? slow : argv, k == 1 ? plain : tagged);
			_exit(0);
		}
		waitpid(mid, NULL, 0);
	}
	free(tagged);
	snprintf(path, sizeof(path), "%s/quirk-jit-XXXXXX", sb->tmp);
	if ((fd = mkstemp(path)) >= 0)
		close(fd), files += 2; /* the file, and its name's creation */
	snprintf(path, sizeof(path), "%s/planted.json", sb->out);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0) {
		if (write(fd, "{\"findings\": [", 14) == 14)
			files++;
		close(fd);
	}
	mkdir(strcat(strcpy(path, sb->cache), "/quirk"), 0700);
	strcat(path, "/tools-v2.tsv.tmp.AbC123");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0)
		files++, close(fd);
	if (sb->private_mounts && (fd = open("/dev/shm/sem.planted", O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0)
		files++, close(fd);
	return files;
}

bool silent_listener(char *var, size_t n)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 512) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	snprintf(var, n, "DOCKER_HOST=tcp://127.0.0.1:%d", ntohs(a.sin_port));
	return true;
}
