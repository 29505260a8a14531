/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log.c - warrend's clock and log: one line per event, with a UTC timestamp and the
 * level, to stderr or a file. Any thread may log; a line is one write().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "warrend.h"

static enum wd_log_level max_level = WD_LOG_INFO;
static int log_fd = STDERR_FILENO;
static bool troubled;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

uint64_t wd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int wd_log_level_parse(const char *text, enum wd_log_level *out)
{
	for (int i = 0; i <= WD_LOG_DEBUG; i++)
		if (!strcmp(text, level_names[i])) {
			*out = (enum wd_log_level)i;
			return 0;
		}
	return -1;
}

int wd_file_open(const char *path, int flags, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, mode);
	const char *why = NULL;
	struct stat st;
	int ret;

	if (fd < 0) {
		ret = -errno;
		why = errno == ELOOP ? "a symbolic link, refused" : strerror(errno);
		goto fail;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		why = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		why = "not a regular file, refused";
	} else if (st.st_nlink != 1) {
		ret = -EMLINK;
		why = "a file with other names (hard links), refused";
	} else {
		return fd;
	}
	close(fd);
fail:
	snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

void wd_log_open(enum wd_log_level level, const char *file)
{
	max_level = level;
	if (file) {
		char err[256];
		int fd = wd_file_open(file, O_WRONLY | O_APPEND, 0640, err, sizeof(err));

		if (fd >= 0)
			log_fd = fd;
		else
			wd_warn("log file %s; logging to stderr", err);
	}
}

bool wd_log_troubled(void)
{
	return troubled;
}

void wd_log(enum wd_log_level level, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if (level <= WD_LOG_WARN)
		troubled = true;
	if (level > max_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ warrend %s: ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec, ts.tv_nsec / 1000000, level_names[level]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(log_fd, line, (size_t)n) < 0)
		return;	/* nowhere left to say it */
}
