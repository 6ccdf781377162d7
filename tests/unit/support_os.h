/* Test support: the few operating-system services the tests need, on POSIX and Windows
 * (the tests' own portability shim; the product's is src/io/io_os.c). Paths are UTF-8. */
#ifndef DI_TEST_SUPPORT_OS_H
#define DI_TEST_SUPPORT_OS_H

#include <stdint.h>
#include <stdio.h>

/* fopen with a UTF-8 name (the wide API on Windows). */
FILE *t_fopen(const char *path, const char *mode);
/* fseek to a 64-bit offset (long is 32 bits on Windows); 0 on success. */
int t_seek(FILE *f, uint64_t off);
/* Create a folder; 0 when it exists afterwards. */
int t_mkdir(const char *path);
/* Remove a file or an empty folder; 0 on success. */
int t_remove(const char *path);
/* Copy a file; 0 on success. */
int t_copy_file(const char *from, const char *to);
/* Set a file's size; 0 on success. */
int t_set_size(const char *path, uint64_t size);
/* A file's size, -1 when it cannot be found. */
int64_t t_size(const char *path);
/* Set an environment variable for this process and the programs it starts; 0 on success. */
int t_setenv(const char *name, const char *value);
/* This process's id, for unique scratch names. */
long t_pid(void);
/* Run argv[0] with argv (no shell) with standard input from in_path (NULL: inherited),
 * standard output and error to out_path / err_path (NULL: inherited); returns the exit
 * code, or -1 when the program could not be started or did not exit normally. */
int t_spawn(const char *const *argv, const char *in_path, const char *out_path, const char *err_path);
/* Turn a hang into a failure: after seconds (0 cancels) the program says so and exits 99
 * (SIGALRM on POSIX); nothing on Windows, where ctest's TIMEOUT is the watchdog. */
void t_watchdog(unsigned seconds);
/* A FIFO, and a symbolic link at link pointing to target: 0 on success; POSIX only (tests
 * leave these cases out on Windows, whose file systems have neither for them). */
int t_mkfifo(const char *path);
int t_symlink(const char *target, const char *link);
/* A POSIX shell command line's exit code (fails the test when it did not exit); on Windows
 * the calling test is skipped instead, naming the command. */
int t_system(const char *cmd);
/* Skip the calling cmocka test on Windows, printing why (e.g. "needs a POSIX shell and
 * xz"); nothing elsewhere. */
#ifdef _WIN32
#define T_SKIP_ON_WINDOWS(why)                                                                                  \
    do {                                                                                                       \
        print_message("skipped on Windows: %s\n", why);                                                        \
        skip();                                                                                                \
    } while (0)
#else
#define T_SKIP_ON_WINDOWS(why) ((void)0)
#endif

#endif
