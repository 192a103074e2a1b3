/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --event: adapter events on a control thread while the workers send. A
 * pause holds the workers' sends (the generator is the protocol that asked
 * for it), waits until the adapter is PAUSED, restarts it 0.1 s later and
 * lets them go; a reset holds them from RESET_START to RESET_END (the
 * indications, gen_status()). The workers keep polling meanwhile: that is
 * how each queue's owner completes the pause or parks for the reset.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include <rte_cycles.h>

#include "gen.h"

#define EVENT_TIMEOUT_S 10.0
#define RESTART_AFTER_S 0.1

static pthread_t events_thread;
static bool events_running;
static const struct gen_options *ev_opt;
static struct condis_adapter *ev_adapter;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until t (CLOCK_MONOTONIC seconds); false if told to stop first. */
static bool
sleep_until(double t)
{
	while (!gen_stop) {
		double left = t - now_s();
		struct timespec ts;

		if (left <= 0)
			return true;
		left = left > 0.01 ? 0.01 : left;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Wait up to EVENT_TIMEOUT_S for done(); false on a timeout or a stop. */
static bool
wait_for(bool (*done)(void))
{
	double limit = now_s() + EVENT_TIMEOUT_S;

	while (!done()) {
		if (gen_stop || now_s() > limit)
			return false;
		sleep_until(now_s() + 0.001);
	}
	return true;
}

static bool
adapter_paused(void)
{
	return condis_adapter_state(ev_adapter) == CONDIS_ADAPTER_PAUSED;
}

static bool
reset_over(void)
{
	return !condis_adapter_resetting(ev_adapter);
}

static void
run_pause(double t0)
{
	double t = now_s();
	condis_status_t st;

	gen_hold = true;
	st = condis_adapter_pause(ev_adapter);
	if (st != CONDIS_STATUS_SUCCESS && st != CONDIS_STATUS_PENDING) {
		printf("event: pause at %.3f s refused (%s)\n", t - t0, condis_status_name(st));
		gen_hold = false;
		return;
	}
	if (!wait_for(adapter_paused)) {
		printf("event: pause at %.3f s: not paused after %.0f s\n", t - t0, EVENT_TIMEOUT_S);
		return; /* held: the sends would only come back PAUSED */
	}
	printf("event: pause at %.3f s: paused in %.3f ms\n", t - t0, (now_s() - t) * 1e3);
	sleep_until(now_s() + RESTART_AFTER_S);
	st = condis_adapter_restart(ev_adapter);
	printf("event: restart at %.3f s: %s\n", now_s() - t0, condis_status_name(st));
	gen_hold = false;
}

static void
run_reset(double t0)
{
	double t = now_s();
	condis_status_t st = condis_adapter_reset(ev_adapter);

	if (st != CONDIS_STATUS_SUCCESS && st != CONDIS_STATUS_PENDING) {
		printf("event: reset at %.3f s refused (%s)\n", t - t0, condis_status_name(st));
		return;
	}
	if (!wait_for(reset_over)) {
		printf("event: reset at %.3f s: not over after %.0f s\n", t - t0, EVENT_TIMEOUT_S);
		return;
	}
	printf("event: reset at %.3f s: over in %.3f ms\n", t - t0, (now_s() - t) * 1e3);
}

static void *
events_main(void *arg)
{
	double t0 = now_s();
	uint32_t i;

	RTE_SET_USED(arg);
	for (i = 0; i < ev_opt->nb_events; i++) {
		const struct gen_event *ev = &ev_opt->events[i];

		if (!sleep_until(t0 + ev->at_s))
			break;
		if (ev->kind == GEN_EVENT_PAUSE)
			run_pause(t0);
		else
			run_reset(t0);
		fflush(stdout);
	}
	return NULL;
}

int
gen_events_start(const struct gen_options *opt, struct condis_adapter *adapter)
{
	if (opt->nb_events == 0)
		return 0;
	ev_opt = opt;
	ev_adapter = adapter;
	if (pthread_create(&events_thread, NULL, events_main, NULL) != 0)
		return -1;
	events_running = true;
	return 0;
}

void
gen_events_join(void)
{
	if (events_running)
		pthread_join(events_thread, NULL);
	events_running = false;
	gen_hold = false;
}
