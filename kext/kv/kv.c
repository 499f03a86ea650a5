/*
 * The kv kext: keys and values in a fixed table (no allocation after
 * start), guarded by the kext's own lock because handlers (the input
 * thread), delete jobs (workers) and the option's reader all touch it.
 * Catalog, structs and codecs: gen/kv.pb.h, from proto/kv/v1/kv.proto.
 */
#include <kextbridge/jobs.h>
#include <kextbridge/kext.h>

#include "gen/kv.pb.h"

#define KV_CAPACITY 64 /* max_keys' upper bound in kv.proto */

struct kv_entry {
	bool used;
	uint8_t key[kv_PutRequest_key_MAX_LEN];
	size_t key_len;
	uint8_t value[kv_PutRequest_value_MAX_LEN];
	size_t value_len;
};

struct delete_job {
	struct kb_job job;      /* first: the pool's slot */
	uint8_t key[kv_DeleteRequest_key_MAX_LEN];
	size_t key_len;
};

struct kv {
	struct kb_engine *engine;
	struct kb_kext_env env;
	struct kb_mutex *mu;    /* guards table and keys */
	struct kv_entry table[KV_CAPACITY];
	uint32_t keys;
	struct delete_job slots[4];
	struct kb_jobs jobs;
};

static struct kv kv;

/* Under kv->mu. */
static struct kv_entry *find(struct kv *s, const struct kb_pb_bytes *key)
{
	uint32_t i;

	for (i = 0; i < KV_CAPACITY; i++)
		if (s->table[i].used && s->table[i].key_len == key->len &&
		    !__builtin_memcmp(s->table[i].key, key->data, key->len))
			return &s->table[i];
	return 0;
}

static void publish(struct kv *s, int32_t kind, const uint8_t *key, size_t key_len)
{
	kv_Change change = { .kind = kind, .key = { key, key_len } };

	if (kb_topic_wanted(s->engine, KV_TOPIC_CHANGES))
		kv_changes_publish(s->engine, &change);
}

void kv_put(struct kb_engine *e, void *arg, const struct kb_call *call, const kv_PutRequest *req)
{
	struct kv *s = arg;
	int64_t max_keys = kb_option_int(e, KV_OPT_MAX_KEYS);
	kv_PutReply reply = { 0 };
	struct kv_entry *entry;
	uint32_t i;

	if (!req->key.len) {
		kb_respond_error(e, call->token, KB_INVALID_ARGUMENT, "key must not be empty");
		return;
	}
	s->env.lock(s->mu);
	entry = find(s, &req->key);
	if (!entry && s->keys < max_keys) {
		for (i = 0; i < KV_CAPACITY && s->table[i].used; i++)
			;
		entry = &s->table[i];
		entry->used = true;
		__builtin_memcpy(entry->key, req->key.data, req->key.len);
		entry->key_len = req->key.len;
		s->keys++;
		reply.created = true;
	}
	if (entry) {
		__builtin_memcpy(entry->value, req->value.data, req->value.len);
		entry->value_len = req->value.len;
	}
	reply.keys = s->keys;
	s->env.unlock(s->mu);
	if (!entry) {
		kb_respond_error(e, call->token, KB_RESOURCE_EXHAUSTED,
				 "the store is full (max_keys); delete a key or raise max_keys");
		return;
	}
	kv_put_reply(e, call->token, &reply);
	publish(s, kv_ChangeKind_CHANGE_KIND_PUT, req->key.data, req->key.len);
}

void kv_get(struct kb_engine *e, void *arg, const struct kb_call *call, const kv_GetRequest *req)
{
	struct kv *s = arg;
	uint8_t value[kv_GetReply_value_MAX_LEN];
	kv_GetReply reply = { .value = { value, 0 } };
	struct kv_entry *entry;

	s->env.lock(s->mu);
	entry = find(s, &req->key);
	if (entry) {
		__builtin_memcpy(value, entry->value, entry->value_len);
		reply.value.len = entry->value_len;
	}
	s->env.unlock(s->mu);
	if (!entry)
		kb_respond_error(e, call->token, KB_NOT_FOUND, "no such key");
	else
		kv_get_reply(e, call->token, &reply);
}

/* On a worker: the upcall waits for an answer that comes through the input thread. */
static void delete_worker(struct kb_job *job)
{
	struct delete_job *j = (struct delete_job *)job;
	struct kv *s = job->arg;
	const struct kb_pb_bytes key = { j->key, j->key_len };
	kv_DeleteQuestion question = { .key = key };
	kv_DeleteVerdict verdict;
	kv_DeleteReply reply = { 0 };
	struct kv_entry *entry;

	s->env.lock(s->mu);
	question.keys = s->keys;
	s->env.unlock(s->mu);
	/* The answer, or default_verdict (allow) when none comes: the engine applies it. */
	kv_approve_delete_ask(s->engine, &question, &verdict);
	if (!verdict.allow) {
		kb_respond_error(s->engine, job->token, KB_PERMISSION_DENIED,
				 "approve_delete refused this delete");
		return;
	}
	s->env.lock(s->mu);
	entry = find(s, &key);
	if (entry) {
		entry->used = false;
		s->keys--;
		reply.deleted = true;
	}
	s->env.unlock(s->mu);
	kv_delete_reply(s->engine, job->token, &reply);
	if (reply.deleted)
		publish(s, kv_ChangeKind_CHANGE_KIND_DELETE, j->key, j->key_len);
}

void kv_delete(struct kb_engine *e, void *arg, const struct kb_call *call,
	       const kv_DeleteRequest *req)
{
	struct kv *s = arg;
	struct delete_job *j = (struct delete_job *)kb_job_claim(&s->jobs, e, arg, call);

	if (!j)
		return;
	/* The request lives only while this handler runs: the job keeps a copy. */
	__builtin_memcpy(j->key, req->key.data, req->key.len);
	j->key_len = req->key.len;
	kb_job_start(&j->job, delete_worker);
}

void kv_delete_cancel(struct kb_engine *e, void *arg, uint64_t token)
{
	struct kv *s = arg;

	(void)e;
	kb_jobs_cancel(&s->jobs, token);
}

static const struct kb_catalog *catalog(void)
{
	return kv_catalog(&kv);
}

static int start(struct kb_engine *e, const struct kb_kext_env *env)
{
	if (!e || !env)
		return KB_R_INVAL;
	kv.engine = e;
	kv.env = *env;
	kv.mu = env->mutex_new();
	if (!kv.mu)
		return KB_R_INVAL;
	__builtin_memset(kv.table, 0, sizeof(kv.table));
	kv.keys = 0;
	kv_options.max_keys = 16;
	KB_JOBS_INIT(&kv.jobs, env, kv.slots);
	return KB_R_OK;
}

static void stop(void)
{
	kb_jobs_stop(&kv.jobs);
	kv.env.mutex_free(kv.mu);
	kv.mu = 0;
}

const struct kb_kext kb_kv_kext = {
	"kv",
	catalog,
	kv_configure_upcall_timeout,
	start,
	stop,
	0, /* no tick */
	0, /* no exec source */
	0,
};
