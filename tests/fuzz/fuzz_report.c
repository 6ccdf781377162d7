/* SPDX-License-Identifier: MIT */
/* fuzz_report: the whole pipeline a user runs, from bytes to both renderings:
 * di_open_memory, di_report_json, di_report_text, di_close. The report options come from
 * the input's last byte. The JSON must parse, and building it twice must give the same
 * bytes (reports are deterministic). */
#include <string.h>

#include <cjson/cJSON.h>

#include "dumpinspect/dumpinspect.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    di_dump *d;
    di_error err;
    if (di_open_memory(data, size, "fuzz.dmp", &d, &err) != DI_OK)
        return 0;
    uint8_t last = size ? data[size - 1] : 0;
    di_report_options opt = {.compact = last & 1, .all_locks = (last >> 1) & 1, .all_threads = (last >> 2) & 1};
    char *json = NULL, *again = NULL, *text = NULL;
    if (di_report_json(d, &opt, &json, &err) == DI_OK) {
        cJSON *doc = cJSON_Parse(json);
        FZ_CHECK(doc != NULL, "the report is valid JSON");
        cJSON_Delete(doc);
        FZ_CHECK(di_report_json(d, &opt, &again, &err) == DI_OK, "a report builds twice");
        FZ_CHECK(strcmp(json, again) == 0, "the same dump gives the same report");
    }
    if (di_report_text(d, &opt, &text, &err) == DI_OK)
        FZ_CHECK(strlen(text) > 0, "the text rendering says something");
    (void)di_max_severity(d);
    (void)di_is_damaged(d);
    di_free(json);
    di_free(again);
    di_free(text);
    di_close(d);
    return 0;
}
