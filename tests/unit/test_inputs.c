/* SPDX-License-Identifier: MIT */
/* Deliveries and the command line around them: the same dump as CAB, zip, gzip, xz, zstd,
 * bzip2 and on standard input gives the same report; archives with several dumps or none;
 * bombs refused by the sniff; batches; option parsing edge cases. Fixtures are made with
 * the tools .ci/run installs (gcab, zip, xz-utils, zstd, bzip2, gzip). */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support_cli.h"
#include "support_dumps.h"
#include "support_os.h"

/* A folder of named inputs for archive tools, removed when the program ends. */
static char folder[256];

static void remove_folder(void)
{
#ifndef _WIN32
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", folder);
#endif
}

static const char *in_folder(const char *name)
{
    static char p[8][512];
    static unsigned n;
    if (!folder[0]) {
        t_mkdir("scratch");
        snprintf(folder, sizeof folder, "scratch/inputs-%ld", t_pid());
        assert_int_equal(t_mkdir(folder), 0);
        atexit(remove_folder);
    }
    char *out = p[n++ % 8];
    snprintf(out, 512, "%s/%s", folder, name);
    return out;
}

static void sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (t_shell(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

/* Remove "key":VALUE, where VALUE is null or a string without escapes. */
static void strip_key(char *s, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    char *k = strstr(s, pat);
    assert_non_null(k);
    char *v = k + strlen(pat), *end;
    if (*v == '"')
        end = strchr(v + 1, '"') + 1;
    else
        end = v + 4; /* null */
    if (*end == ',')
        end++;
    memmove(k, end, strlen(end) + 1);
}

/* The compact report of args with the delivery's own keys removed. */
static char *normal_report(const char *args)
{
    t_cli_expect(args, 0, NULL);
    char *out = t_slurp("scratch/cli.out", NULL);
    char *file = strstr(out, "\"file\":");
    assert_non_null(file);
    strip_key(file, "name");
    strip_key(out, "compression");
    strip_key(out, "member");
    return out;
}

static void expect_same(const char *want, const char *args, const char *compression, const char *member)
{
    char *got = normal_report(args);
    if (strcmp(got, want) != 0)
        fail_msg("dumpinspect %s: the report differs from the plain file's", args);
    free(got);
    char *raw = t_slurp("scratch/cli.out", NULL);
    char keys[256];
    snprintf(keys, sizeof keys, "\"compression\":\"%s\",\"member\":%s", compression, member);
    if (!strstr(raw, keys))
        fail_msg("dumpinspect %s: the report lacks %s", args, keys);
    free(raw);
}

static void test_same_report_every_delivery(void **state)
{
    (void)state;
    T_SKIP_ON_WINDOWS("needs gzip, xz, zstd, bzip2, zip, gcab and a POSIX shell to make the deliveries");
    const char *p = t_world_dump("lock-0x13c.scn");
    const char *dmp = in_folder("MEMORY.DMP");
    assert_int_equal(t_copy_file(p, dmp), 0);
    char args[1024];
    snprintf(args, sizeof args, "--compact '%s'", dmp);
    char *want = normal_report(args);
    struct {
        const char *tool, *ext, *compression, *member;
    } kinds[] = {
        {"gzip -c", "gz", "gzip", "null"},   {"xz -T1 -c", "xz", "xz", "null"},
        {"zstd -q -c", "zst", "zstd", "null"}, {"bzip2 -c", "bz2", "bzip2", "null"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "MEMORY.DMP.%s", kinds[i].ext);
        const char *c = in_folder(name);
        sh("%s '%s' > '%s'", kinds[i].tool, dmp, c);
        snprintf(args, sizeof args, "--compact '%s'", c);
        expect_same(want, args, kinds[i].compression, kinds[i].member);
        /* The same through a pipe. */
        snprintf(args, sizeof args, "--compact - < '%s'", c);
        expect_same(want, args, kinds[i].compression, kinds[i].member);
    }
    const char *zip = in_folder("dump.zip");
    sh("cd '%s' && zip -q -9 dump.zip MEMORY.DMP", folder);
    snprintf(args, sizeof args, "--compact '%s'", zip);
    expect_same(want, args, "zip", "\"MEMORY.DMP\"");
    /* gcab writes MSZIP folders; no Debian tool writes LZX, so LZX is not tested here. */
    const char *cab = in_folder("dump.cab");
    sh("cd '%s' && gcab -c -z dump.cab MEMORY.DMP", folder);
    snprintf(args, sizeof args, "--compact '%s'", cab);
    expect_same(want, args, "cab", "\"MEMORY.DMP\"");
    /* Standard input: in place when it is a file, copied when it is a pipe. */
    snprintf(args, sizeof args, "--compact - < '%s'", dmp);
    expect_same(want, args, "none", "null");
    sh("cat '%s' | @CLI@ --compact - > scratch/cli.out", dmp);
    char *raw = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(raw, "\"file\":{\"name\":\"<stdin>\"}"));
    free(raw);
    sh("cat '%s' | @CLI@ report --compact - > scratch/cli.out", zip);
    raw = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(raw, "\"compression\":\"zip\",\"member\":\"MEMORY.DMP\""));
    free(raw);
    /* read and translate take standard input too. */
    snprintf(args, sizeof args, "translate --va 0 - < '%s'", cab);
    int rc = t_cli_run(args, "scratch/cli.out", "scratch/cli.err");
    assert_true(rc == 0 || rc == 6);
    /* spool_bytes bounds a piped standard input. */
    snprintf(args, sizeof args, "cat '%s' | @CLI@ --limit spool_bytes=65536 - >/dev/null 2>scratch/cli.err", dmp);
    assert_int_equal(t_shell(args), 4);
    char *err = t_slurp("scratch/cli.err", NULL);
    assert_non_null(strstr(err, "<stdin>: holds more than 65536 bytes"));
    free(err);
    free(want);
}

static void test_archive_members(void **state)
{
    (void)state;
    T_SKIP_ON_WINDOWS("needs zip, gcab and a POSIX shell to make the archives");
    const char *p = t_world_dump("lock-0x13c.scn");
    sh("cp '%s' '%s'; cp '%s' '%s'", p, in_folder("a.dmp"), p, in_folder("B.DMP"));
    sh("printf x > '%s'; printf y > '%s'", in_folder("a.txt"), in_folder("b.log"));
    sh("cd '%s' && zip -q two.zip a.dmp B.DMP a.txt && zip -q none.zip a.txt b.log && "
       "gcab -c -z none.cab a.txt b.log && gcab -c -z two.cab a.dmp B.DMP",
       folder);
    char args[1024];
    snprintf(args, sizeof args, "'%s'", in_folder("two.zip"));
    t_cli_expect(args, 2, "the zip archive holds 2 dumps: a.dmp, B.DMP; choose one with --member NAME");
    snprintf(args, sizeof args, "'%s'", in_folder("two.cab"));
    t_cli_expect(args, 2, "the CAB archive holds 2 dumps: a.dmp, B.DMP");
    snprintf(args, sizeof args, "--compact --member B.DMP '%s'", in_folder("two.zip"));
    t_cli_expect(args, 0, NULL);
    char *out = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(out, "\"compression\":\"zip\",\"member\":\"B.DMP\""));
    free(out);
    snprintf(args, sizeof args, "--member=a.dmp '%s'", in_folder("two.cab"));
    t_cli_expect(args, 0, NULL);
    snprintf(args, sizeof args, "--member nope.dmp '%s'", in_folder("two.zip"));
    t_cli_expect(args, 2, "has no member named 'nope.dmp'; its members: a.dmp, B.DMP, a.txt");
    snprintf(args, sizeof args, "--member a.dmp '%s'", in_folder("a.dmp"));
    t_cli_expect(args, 2, "--member applies to zip and CAB archives");
    /* A known container without a dump is unsupported, not corrupt, and says what it is. */
    snprintf(args, sizeof args, "'%s'", in_folder("none.zip"));
    t_cli_expect(args, 5, "a zip archive with no .dmp member: a.txt, b.log");
    snprintf(args, sizeof args, "'%s'", in_folder("none.cab"));
    t_cli_expect(args, 5, "a CAB archive with no .dmp member: a.txt, b.log");
    /* A damaged archive is corrupt. */
    const char *cut = in_folder("cut.zip");
    sh("head -c 30000 '%s' > '%s'", in_folder("two.zip"), cut);
    snprintf(args, sizeof args, "'%s'", cut);
    t_cli_expect(args, 4, "cut.zip: the zip archive");
}

/* zip archives written with libarchive, so this runs on Windows too (test_archive_members
 * needs the zip tool): the same report as the plain file, --member among several dumps, and
 * an archive without one refused. */
static void test_zip_written_here(void **state)
{
    (void)state;
    const char *p = t_world_dump("lock-0x13c.scn"), *txt = in_folder("note.txt");
    t_write_file(txt, "x", 1);
    char args[1024];
    snprintf(args, sizeof args, "--compact '%s'", p);
    char *want = normal_report(args);
    const char *one = t_zip((const char *[]){"MEMORY.DMP"}, (const char *[]){p}, 1);
    snprintf(args, sizeof args, "--compact '%s'", one);
    expect_same(want, args, "zip", "\"MEMORY.DMP\"");
    const char *two = t_zip((const char *[]){"a.dmp", "B.DMP", "a.txt"}, (const char *[]){p, p, txt}, 3);
    snprintf(args, sizeof args, "'%s'", two);
    t_cli_expect(args, 2, "the zip archive holds 2 dumps: a.dmp, B.DMP; choose one with --member NAME");
    snprintf(args, sizeof args, "--compact --member B.DMP '%s'", two);
    expect_same(want, args, "zip", "\"B.DMP\"");
    const char *none = t_zip((const char *[]){"a.txt"}, (const char *[]){txt}, 1);
    snprintf(args, sizeof args, "'%s'", none);
    t_cli_expect(args, 5, "a zip archive with no .dmp member: a.txt");
    free(want);
}

/* 100 MiB of zeros named like a dump compress to about 100 KiB: refused on the first
 * decompressed chunk. With spool_bytes at 1 MiB, spooling first would have failed on the
 * limit instead. */
static void test_bombs(void **state)
{
    (void)state;
    T_SKIP_ON_WINDOWS("needs zip, xz and a POSIX shell to make the bombs (tests/unit/test_bad_input.c has a gzip bomb)");
    sh("head -c 104857600 /dev/zero > '%s'", in_folder("zeros.dmp"));
    sh("cd '%s' && zip -q -9 bomb.zip zeros.dmp && xz -T1 -c zeros.dmp > bomb.xz && rm zeros.dmp", folder);
    char args[1024];
    snprintf(args, sizeof args, "--limit spool_bytes=1048576 '%s'", in_folder("bomb.zip"));
    t_cli_expect(args, 4, "member zeros.dmp of the zip archive is not a Windows kernel crash dump");
    snprintf(args, sizeof args, "--limit spool_bytes=1048576 '%s'", in_folder("bomb.xz"));
    t_cli_expect(args, 4, "xz-compressed, but what it holds is not a Windows kernel crash dump");
    /* The temporary folder is named when it cannot be used. */
    const char *p = t_world_dump("lock-0x13c.scn");
    sh("gzip -c '%s' > '%s'", p, in_folder("w.gz"));
    snprintf(args, sizeof args, "TMPDIR=/nonexistent-dumpinspect @CLI@ '%s' >/dev/null 2>scratch/cli.err",
             in_folder("w.gz"));
    assert_int_equal(t_shell(args), 3);
    char *err = t_slurp("scratch/cli.err", NULL);
    assert_non_null(strstr(err, "/nonexistent-dumpinspect"));
    free(err);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_batch(void **state)
{
    (void)state;
    const char *good = t_world_dump("lock-0x13c.scn");
    fg_dump *d = t_world(1);
    const char *damaged = t_emit(d, "damaged");
    fg_free(d);
    t_truncate(damaged, t_file_size(damaged) - 0x3000);
    char args[2048];
    snprintf(args, sizeof args, "'%s' '%s' scratch/missing.dmp", good, damaged);
    t_cli_expect(args, 3, "missing.dmp: cannot open");
    char *out = t_slurp("scratch/cli.out", NULL);
    assert_int_equal(count_lines(out), 3);
    char *l2 = strchr(out, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    assert_true(strncmp(out, "{\"schema_version\":", 18) == 0);
    assert_true(strncmp(l2, "{\"schema_version\":", 18) == 0);
    static const char l3_head[] = "{\"file\":\"scratch/missing.dmp\",\"error\":{\"status\":\"io_error\",\"message\":";
    assert_true(strncmp(l3, l3_head, strlen(l3_head)) == 0);
    assert_non_null(strstr(l3, "\"exit\":3}\n"));
    free(out);
    /* Without the missing one the worst is the partial report; a tripped gate outranks it. */
    snprintf(args, sizeof args, "'%s' '%s'", good, damaged);
    t_cli_expect(args, 7, NULL);
    snprintf(args, sizeof args, "--fail-on critical '%s' '%s'", damaged, good);
    t_cli_expect(args, 8, NULL);
    /* One summary line each: file, bucket, highest severity, headline. */
    snprintf(args, sizeof args, "--format line '%s' scratch/missing.dmp", good);
    t_cli_expect(args, 3, NULL);
    out = t_slurp("scratch/cli.out", NULL);
    char want[512];
    snprintf(want, sizeof want, "%s\t0x13C_INVALID_IO_BOOST_STATE_orphaned_lock_baddrv.sys\tcritical\tResource ", good);
    assert_true(strncmp(out, want, strlen(want)) == 0);
    assert_non_null(strstr(out, "\nscratch/missing.dmp\t-\terror\tscratch/missing.dmp: cannot open"));
    free(out);
    /* --batch DIR: the regular files, sorted by name. */
    assert_int_equal(t_mkdir(in_folder("batch")), 0);
    assert_int_equal(t_copy_file(damaged, in_folder("batch/b.dmp")), 0);
    assert_int_equal(t_copy_file(good, in_folder("batch/a.dmp")), 0);
    assert_int_equal(t_mkdir(in_folder("batch/sub")), 0);
    snprintf(args, sizeof args, "--batch '%s' --format=line", in_folder("batch"));
    t_cli_expect(args, 7, NULL);
    out = t_slurp("scratch/cli.out", NULL);
    assert_int_equal(count_lines(out), 2);
    assert_non_null(strstr(out, "batch/a.dmp\t0x13C"));
    assert_true(strstr(out, "batch/a.dmp") < strstr(out, "batch/b.dmp"));
    free(out);
    snprintf(args, sizeof args, "--batch '%s' '%s'", in_folder("batch"), good);
    t_cli_expect(args, 2, "give no dump files with it");
    snprintf(args, sizeof args, "--format text '%s' '%s'", good, good);
    t_cli_expect(args, 2, "--format text shows one dump");
    t_cli_expect("--batch scratch/no-such-folder", 3, "cannot list the folder");
}

/* args succeeds and writes exactly want to path (removed afterwards unless it is the
 * standard output's capture). */
static void expect_written(const char *args, const char *path, const char *want)
{
    t_cli_expect(args, 0, NULL);
    char *out = t_slurp(path, NULL);
    assert_string_equal(out, want);
    free(out);
    if (strcmp(path, "scratch/cli.out") != 0)
        remove(path);
}

static void test_command_line(void **state)
{
    (void)state;
    const char *p = t_world_dump("healthy-0xd1.scn");
    char args[1024];
    t_cli_expect("", 2, "usage: dumpinspect [report|read|translate] [OPTIONS] DUMP...");
    t_cli_expect("--version", 0, NULL);
    char *out = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(out, "dumpinspect " DI_VERSION_STRING "\nzlib "));
    assert_non_null(strstr(out, ", cJSON "));
    assert_non_null(strstr(out, ", libarchive 3."));
    free(out);
    snprintf(args, sizeof args, "report --compact '%s'", p);
    t_cli_expect(args, 0, NULL);
    char *want = t_slurp("scratch/cli.out", NULL);
    /* --opt=value, -ovalue, -o - (standard output), a value that looks like an option. */
    snprintf(args, sizeof args, "--compact -o - '%s'", p);
    expect_written(args, "scratch/cli.out", want);
    snprintf(args, sizeof args, "'%s' --compact -o -x.json", p);
    expect_written(args, "-x.json", want);
    snprintf(args, sizeof args, "--compact -oscratch/attached.json '%s'", p);
    expect_written(args, "scratch/attached.json", want);
    snprintf(args, sizeof args, "--compact --output=scratch/eq.json '%s'", p);
    expect_written(args, "scratch/eq.json", want);
    /* "--" ends the options: a dump whose name starts with a dash. */
    assert_int_equal(t_copy_file(p, "-dash.dmp"), 0);
    t_cli_expect("--compact -- -dash.dmp", 0, NULL);
    out = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(out, "\"file\":{\"name\":\"-dash.dmp\"}"));
    free(out);
    t_cli_expect("--compact -dash.dmp", 2, "unknown option '-dash.dmp'");
    remove("-dash.dmp");
    snprintf(args, sizeof args, "--compact=yes '%s'", p);
    t_cli_expect(args, 2, "--compact takes no value");
    t_cli_expect("--output", 2, "--output needs a value");
    snprintf(args, sizeof args, "--format=line --fail-on=high '%s'", p);
    t_cli_expect(args, 8, NULL);
    snprintf(args, sizeof args, "--pa 0 '%s'", p);
    t_cli_expect(args, 2, "unknown option '--pa' for report");
    t_cli_expect("read --help", 0, NULL);
    t_cli_expect("- -", 2, "standard input ('-') can be read only once");
#ifndef _WIN32
    /* A file name that is not UTF-8 stays valid UTF-8 in the report (U+FFFD). Windows names
     * are UTF-16, always converted to valid UTF-8 (test_unicode_paths). */
    assert_int_equal(t_copy_file(p, "scratch/bad\377name.dmp"), 0);
    t_cli_expect("--compact 'scratch/bad\377name.dmp'", 0, NULL);
    out = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(out, "\"file\":{\"name\":\"bad\xEF\xBF\xBDname.dmp\"}"));
    free(out);
    remove("scratch/bad\377name.dmp");
#endif
    free(want);
}

/* UTF-8 names (Cyrillic, Japanese, spaces) and a path of 300 characters, for the dump and
 * for -o: the same report as from a plain name, naming the file in UTF-8. On Windows this
 * goes through the UTF-16 command line, the wide file APIs and \\?\ long paths. */
static void test_unicode_paths(void **state)
{
    (void)state;
    const char *p = t_world_dump("healthy-0xd1.scn");
    char args[2048];
    snprintf(args, sizeof args, "--compact '%s'", p);
    char *want = normal_report(args);
    char deep[400];
    int n = snprintf(deep, sizeof deep, "%s", in_folder(""));
    /* Two long folder names: each below the 255-character limit of a name. */
    memset(deep + n, 'd', 120);
    deep[n + 120] = '\0';
    assert_int_equal(t_mkdir(deep), 0);
    n += 120;
    deep[n++] = '/';
    memset(deep + n, 'e', 120);
    deep[n + 120] = '\0';
    assert_int_equal(t_mkdir(deep), 0);
    struct {
        const char *dir, *name;
    } cases[] = {
        {"\xd0\xb4\xd0\xb0\xd0\xbc\xd0\xbf\xd1\x8b", "\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x80\xd0\xb8\xd1\x8f.dmp"}, /* дампы/авария.dmp */
        {"\xe3\x83\x80\xe3\x83\xb3\xe3\x83\x97", "\xe3\x83\xa1\xe3\x83\xa2\xe3\x83\xaa.dmp"},             /* ダンプ/メモリ.dmp */
        {"crash dumps", "MEMORY copy.DMP"},
        {deep, "a-dump-at-the-end-of-a-path-longer-than-three-hundred-characters-in-all.dmp"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[512], dump[700], out[700];
        if (cases[i].dir == deep)
            snprintf(dir, sizeof dir, "%s", deep);
        else
            snprintf(dir, sizeof dir, "%s", in_folder(cases[i].dir));
        assert_int_equal(t_mkdir(dir), 0);
        snprintf(dump, sizeof dump, "%s/%s", dir, cases[i].name);
        snprintf(out, sizeof out, "%s/%s", dir, "\xd0\xbe\xd1\x82\xd1\x87\xd1\x91\xd1\x82 \xe3\x83\xac\xe3\x83\x9d.json"); /* отчёт レポ.json */
        if (cases[i].dir == deep)
            assert_true(strlen(dump) > 300 && strlen(out) > 260);
        assert_int_equal(t_copy_file(p, dump), 0);
        snprintf(args, sizeof args, "--compact '%s'", dump);
        char *got = normal_report(args);
        if (strcmp(got, want) != 0)
            fail_msg("dumpinspect %s: the report differs from the plain name's", args);
        free(got);
        char *raw = t_slurp("scratch/cli.out", NULL), name[300];
        snprintf(name, sizeof name, "\"file\":{\"name\":\"%s\"}", cases[i].name);
        if (!strstr(raw, name))
            fail_msg("dumpinspect %s: the report lacks %s", args, name);
        /* --batch lists the folder through the same names. */
        snprintf(args, sizeof args, "--batch '%s' --format line", dir);
        t_cli_expect(args, 0, NULL);
        char *line = t_slurp("scratch/cli.out", NULL);
        assert_non_null(strstr(line, cases[i].name));
        free(line);
        /* -o to a UTF-8 (and long) name: the same bytes as standard output. */
        snprintf(args, sizeof args, "--compact -o '%s' '%s'", out, dump);
        t_cli_expect(args, 0, NULL);
        FILE *f = t_fopen(out, "rb");
        assert_non_null(f);
        char *written = calloc(1, strlen(raw) + 2);
        assert_non_null(written);
        size_t got_len = fread(written, 1, strlen(raw) + 1, f);
        fclose(f);
        assert_int_equal(got_len, strlen(raw));
        assert_string_equal(written, raw);
        free(written);
        free(raw);
        /* A missing file under the same name is refused with the system's reason. */
        assert_int_equal(t_remove(dump), 0);
        snprintf(args, sizeof args, "'%s'", dump);
        t_cli_expect(args, 3, cases[i].name);
#ifdef _WIN32
        /* The system's words for it (FormatMessage), not a bare error number. */
        char *why = t_slurp("scratch/cli.err", NULL);
        if (!strstr(why, "cannot open: ") || strstr(why, "Windows error"))
            fail_msg("no FormatMessage text in: %s", why);
        free(why);
#endif
        assert_int_equal(t_remove(out), 0);
    }
    free(want);
}

/* The temporary copy of a delivery lives in the temporary folder (TMPDIR; TMP / TEMP on
 * Windows) and is gone when the program ends, whether it succeeded or stopped half-way
 * (a spool_bytes limit): POSIX unlinks it at once, Windows opens it delete-on-close. */
static void test_temp_files_removed(void **state)
{
    (void)state;
    const char *p = t_world_dump("lock-0x13c.scn");
    const char *gz = t_gzip_file(p, 0);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s", in_folder("tmp"));
    assert_int_equal(t_mkdir(tmp), 0);
#ifdef _WIN32
    /* GetTempPath wants the folder absolute, with its final separator. */
    char full[600];
    assert_non_null(_fullpath(full, tmp, sizeof full));
    strcat(full, "\\");
    assert_int_equal(t_setenv("TMP", full), 0);
    assert_int_equal(t_setenv("TEMP", full), 0);
#else
    assert_int_equal(t_setenv("TMPDIR", tmp), 0);
#endif
    char args[1024];
    snprintf(args, sizeof args, "--compact '%s'", gz);
    t_cli_expect(args, 0, NULL);
    snprintf(args, sizeof args, "--limit spool_bytes=65536 '%s'", gz);
    t_cli_expect(args, 4, "more than 65536 bytes");
    /* Standard input (a file here: read in place, then unpacked like any delivery). */
    snprintf(args, sizeof args, "--compact - < '%s'", gz);
    t_cli_expect(args, 0, NULL);
    char *out = t_slurp("scratch/cli.out", NULL);
    assert_non_null(strstr(out, "\"file\":{\"name\":\"<stdin>\"}"));
    assert_non_null(strstr(out, "\"compression\":\"gzip\""));
    free(out);
    char **files = NULL;
    size_t n = 99;
    di_error err = {0};
    assert_int_equal(di_list_dir(tmp, &files, &n, &err), DI_OK);
    if (n)
        fail_msg("the temporary folder still holds %s", files[0]);
    di_free_list(files, n);
}

/* A read that runs into an unmapped page names the first unreadable address asked for,
 * not the byte the check happened to probe. */
static void test_read_names_first_address(void **state)
{
    (void)state;
    fg_dump *d = t_world(6);
    const char *p = t_emit(d, "firstaddr");
    fg_free(d);
    char args[1024], needle[64];
    snprintf(args, sizeof args, "read --va 0x%llx --length 0x2000 '%s'", (unsigned long long)(T_VA_4K + 0x3800), p);
    snprintf(needle, sizeof needle, "0x%llx", (unsigned long long)(T_VA_4K + 0x4000));
    t_cli_expect(args, 6, needle);
    char *err = t_slurp("scratch/cli.err", NULL);
    snprintf(needle, sizeof needle, "0x%llx", (unsigned long long)(T_VA_4K + 0x57ff));
    assert_null(strstr(err, needle));
    free(err);
}

/* Progress goes to stderr only when asked (stderr is not a terminal here); the report is
 * the same either way. */
static void test_progress(void **state)
{
    (void)state;
    const char *p = t_world_dump("lock-0x13c.scn");
#ifdef _WIN32
    /* No xz tool to run on Windows: gzip (zlib) there. */
    const char *packed = t_gzip_file(p, 0);
#else
    const char *packed = in_folder("p.xz");
    sh("xz -T1 -c '%s' > '%s'", p, packed);
#endif
    char args[1024];
    snprintf(args, sizeof args, "--compact '%s'", packed);
    t_cli_expect(args, 0, NULL);
    char *quiet = t_slurp("scratch/cli.out", NULL), *err = t_slurp("scratch/cli.err", NULL);
    assert_string_equal(err, "");
    free(err);
    snprintf(args, sizeof args, "--compact --progress '%s'", packed);
    t_cli_expect(args, 0, "dumpinspect: unpacking ");
    char *loud = t_slurp("scratch/cli.out", NULL);
    assert_string_equal(loud, quiet);
    err = t_slurp("scratch/cli.err", NULL);
    assert_non_null(strstr(err, "100% "));
    free(err);
    snprintf(args, sizeof args, "--compact --progress --no-progress '%s'", packed);
    t_cli_expect(args, 0, NULL);
    err = t_slurp("scratch/cli.err", NULL);
    assert_string_equal(err, "");
    free(err);
    free(quiet);
    free(loud);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_report_every_delivery),
        cmocka_unit_test(test_archive_members),
        cmocka_unit_test(test_zip_written_here),
        cmocka_unit_test(test_bombs),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_command_line),
        cmocka_unit_test(test_read_names_first_address),
        cmocka_unit_test(test_unicode_paths),
        cmocka_unit_test(test_temp_files_removed),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
