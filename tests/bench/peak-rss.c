/* peak-rss.c - runs a command and prints its CPU time and peak RSS to
 * stderr: "peak-rss: user+sys=0.123 s maxrss=12.3 MiB status=0".
 * A small launcher on purpose: Linux carries the pre-exec image's
 * high-water RSS into ru_maxrss, so measuring from a Python parent would
 * count Python. Benchmark support, not a test. */
#include <config.h>

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage	ru;
	pid_t		pid;
	int		status;

	if (argc < 2) {
		fprintf(stderr, "usage: peak-rss COMMAND [ARG]...\n");
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1) {
		perror("wait4");
		return 1;
	}
	fprintf(stderr, "peak-rss: user+sys=%.3f s maxrss=%.1f MiB status=%d\n",
	    (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	    ru.ru_maxrss / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
