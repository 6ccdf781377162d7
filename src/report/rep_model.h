/* Report sections drawn from the kernel model and its analysis. */
#ifndef DI_REPORT_MODEL_H
#define DI_REPORT_MODEL_H

#include <cjson/cJSON.h>

#include "analysis/an_findings.h"
#include "dump/dmp_dump.h"
#include "nt/nt_model.h"
#include "report/rep_json.h"

typedef struct rep_view {
    const nt_model *m;        /* NULL when no offset profile applied (kernel structures unread) */
    const nt_model *base;     /* the model as built: modules and memory even without a profile */
    const dmp_dump *dmp;
    rep_deferrals *defer;     /* when set, the big lists are built while printing */
    const an_analysis *a;
    int all_locks, all_threads;
} rep_view;

/* key: {address, symbol ("module+0xoff"), module}, symbol and module null outside modules. */
void rep_add_code_address(cJSON *o, const char *key, const nt_model *m, uint64_t addr);
/* The triage section, unloaded modules, the crashing thread and the decoded fault. */
int rep_add_triage(cJSON *root, const rep_view *v);
int rep_add_crash(cJSON *root, const rep_view *v);
int rep_add_fault(cJSON *root, const rep_view *v);

/* One thread as an object (also used inside findings). */
cJSON *rep_thread(const nt_model *m, const nt_thread *t);
/* A thread reference: address plus what is known ("tid", "state"), for owners and waiters. */
cJSON *rep_thread_ref(const nt_model *m, uint64_t va);
cJSON *rep_resource(const nt_model *m, const nt_resource *r);
/* The resource's first max waiters as thread references with mode, wait_ms, wait_entry,
 * confirmed. */
int rep_add_waiters(cJSON *o, const nt_model *m, const nt_resource *r, size_t max);

int rep_add_kernel_model(cJSON *kernel, const rep_view *v);
int rep_add_bugcheck_joins(cJSON *bugcheck, const rep_view *v);
int rep_add_analysis(cJSON *root, const rep_view *v);
int rep_add_findings(cJSON *root, const rep_view *v);
int rep_add_model_sections(cJSON *root, const rep_view *v);

#endif
