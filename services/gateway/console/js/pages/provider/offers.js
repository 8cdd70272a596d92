// #/jobs/offered, the provider's main screen: the jobs offered to me (`#offers`), arriving live without a reload
// (a notice on the job topic → refetch, debounced; "new offer" announced), each with its countdown, accept (one
// tap) and decline (with a reason).
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import {
  acceptButton,
  declineControl,
  JOB_TOPIC,
  jobCard,
  jobLabel,
  jobsApi,
  pageNotice,
  reconcile,
  refreshOnLive,
  signature,
  tickCountdowns,
} from './jobs.js';
import { problemText } from '../../core/dom.js';

export async function renderOffers(main) {
  let alive = true;
  const notice = pageNotice();
  const list = h('ul', {
    id: 'offers',
    class: 'job-list',
    'aria-labelledby': 'offers-title',
    'aria-busy': 'true',
  });
  const empty = h('p', { class: 'empty', id: 'offers-empty', hidden: true }, t('provider.offers.empty'));
  main.replaceChildren(
    h('h1', { id: 'offers-title', tabindex: '-1' }, t('provider.offers.title')),
    h('p', { class: 'intro' }, t('provider.offers.intro')),
    notice.element,
    list,
    empty,
  );

  let loadedOnce = false;
  let loading = null;
  let again = false;

  const answers = {
    async done(job) {
      notice.show(t('provider.offers.accepted', { job: jobLabel(job) }), {
        link: { href: `#/jobs/${encodeURIComponent(job.jobId)}`, text: t('provider.offers.openAccepted') },
      });
      await refresh();
    },
    async failed(message) {
      notice.show(message, { error: true });
      await refresh();
    },
  };
  const declineAnswers = {
    async done(job) {
      notice.show(t('provider.decline.done', { job: jobLabel(job) }));
      await refresh();
    },
    failed: answers.failed,
  };

  function build(job) {
    const card = jobCard(job, { actions: [acceptButton(job, answers), declineControl(job, declineAnswers)] });
    card.dataset.signature = signature(job);
    return card;
  }

  /** One fetch at a time; a notice arriving meanwhile fetches once more after it. */
  async function refresh(cause = 'other') {
    if (loading) {
      again = cause;
      return loading;
    }
    loading = (async () => {
      let next = cause;
      do {
        again = false;
        await load(next);
        next = again;
      } while (again && alive);
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function load(cause = 'initial') {
    let items;
    try {
      ({ items } = await jobsApi.offered());
    } catch (error) {
      if (alive) notice.show(t('provider.loadFailed', { reason: problemText(error) }), { error: true });
      return;
    }
    if (!alive) return;
    // Soonest to expire first: what needs an answer now is on top.
    items.sort((a, b) => expiry(a) - expiry(b));
    const { added, focusedGone } = reconcile(
      list,
      items,
      build,
      (li, job) => li.dataset.signature !== signature(job),
    );
    list.setAttribute('aria-busy', 'false');
    empty.hidden = items.length > 0;
    if (loadedOnce && added.length) {
      for (const id of added) {
        const card = list.querySelector(`[data-job-id="${CSS.escape(id)}"]`);
        card?.classList.add('new');
        // How it came (live, reconnect, fallback, other): the browser test proves the live path by it.
        if (card) card.dataset.arrivedBy = cause;
      }
      notice.show(t('provider.offers.newOffer', { count: added.length }));
    }
    if (focusedGone) main.querySelector('h1')?.focus();
    loadedOnce = true;
  }

  await load();
  const stopLive = refreshOnLive(refresh, (notice) => notice.topic === JOB_TOPIC);
  // An offer that runs out is refetched: the next round may have gone to someone else, or come back to me.
  const stopTicking = tickCountdowns(list, () => refresh());
  return () => {
    alive = false;
    stopLive();
    stopTicking();
  };
}

function expiry(job) {
  return job.offer ? new Date(job.offer.expiresAt).getTime() : Number.MAX_SAFE_INTEGER;
}
