// #/jobs/mine: the jobs I hold (`#my-jobs`, items `[data-job-id][data-status]`) with start and complete, or the ones
// I completed (`?status=completed`). Refetched on the job topic's notices.
import { h, problemText } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import {
  completeControl,
  JOB_TOPIC,
  jobCard,
  jobLabel,
  jobsApi,
  pageNotice,
  reconcile,
  refreshOnLive,
  signature,
  startControl,
} from './jobs.js';

export async function renderMine(main, _params, query) {
  const completed = query && query.get ? query.get('status') === 'completed' : query?.status === 'completed';
  let alive = true;
  const notice = pageNotice();
  const list = h('ul', {
    id: 'my-jobs',
    class: 'job-list',
    'aria-labelledby': 'mine-title',
    'aria-busy': 'true',
  });
  const empty = h(
    'p',
    { class: 'empty', hidden: true },
    completed ? t('provider.mine.emptyCompleted') : t('provider.mine.empty'),
  );
  const filter = (key, href, label) =>
    h(
      'li',
      {},
      h(
        'a',
        { href, class: 'tab', 'aria-current': key === (completed ? 'completed' : 'held') ? 'true' : null },
        label,
      ),
    );
  main.replaceChildren(
    h('h1', { id: 'mine-title', tabindex: '-1' }, t('provider.mine.title')),
    h(
      'nav',
      { class: 'filter', 'aria-label': t('provider.mine.filterLabel') },
      h(
        'ul',
        {},
        filter('held', '#/jobs/mine', t('provider.mine.held')),
        filter('completed', '#/jobs/mine?status=completed', t('provider.mine.completed')),
      ),
    ),
    notice.element,
    list,
    empty,
  );

  const answered = (key) => ({
    async done(job, extra) {
      notice.show([t(key, { job: jobLabel(job) }), extra].filter(Boolean).join(' '));
      await refresh();
    },
    async failed(message) {
      notice.show(message, { error: true });
      await refresh();
    },
  });
  const started = answered('provider.start.done');
  const finished = answered('provider.complete.done');

  function build(job) {
    const actions = [];
    if (job.status === 'accepted') actions.push(startControl(job, started));
    if (job.status === 'started') actions.push(completeControl(job, finished));
    actions.push(
      h('a', { href: `#/jobs/${encodeURIComponent(job.jobId)}`, class: 'big-link' }, t('provider.mine.open')),
    );
    const card = jobCard(job, { actions });
    card.dataset.signature = signature(job);
    return card;
  }

  let loading = null;
  let again = false;
  async function refresh() {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        await load();
      } while (again && alive);
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function load() {
    let items;
    try {
      ({ items } = await jobsApi.mine(completed ? 'completed' : undefined));
    } catch (error) {
      if (alive) notice.show(t('provider.loadFailed', { reason: problemText(error) }), { error: true });
      return;
    }
    if (!alive) return;
    // Held: the earliest due first; completed: the latest first.
    items.sort(
      completed
        ? (a, b) => later(b.completedAt) - later(a.completedAt)
        : (a, b) => later(a.dueBy) - later(b.dueBy),
    );
    const { focusedGone } = reconcile(
      list,
      items,
      build,
      (li, job) => li.dataset.signature !== signature(job),
    );
    list.setAttribute('aria-busy', 'false');
    empty.hidden = items.length > 0;
    if (focusedGone) main.querySelector('h1')?.focus();
  }

  await load();
  const stop = refreshOnLive(refresh, (notice) => notice.topic === JOB_TOPIC);
  return () => {
    alive = false;
    stop();
  };
}

function later(iso) {
  return iso ? new Date(iso).getTime() : Number.MAX_SAFE_INTEGER;
}
