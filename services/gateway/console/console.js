// The sign-in page: signs in through POST /auth/login, shows who you are (GET /me), signs out (POST /auth/logout).
// Chinese first, with an English switch. Tokens stay in this tab's sessionStorage (gone when the tab closes); the
// Content-Security-Policy keeps any script but this file from running here.
'use strict';

(function () {
  const TOKENS_KEY = 'linli.console.tokens';
  const LANGUAGE_KEY = 'linli.console.language';

  const TEXT = {
    'zh-CN': {
      skip: '跳到主要内容',
      brand: '社区服务平台',
      languageHint: '切换界面语言',
      switchTo: 'English',
      switchToLang: 'en',
      noscript: '此页面需要启用 JavaScript。',
      signInTitle: '登录',
      signedInTitle: '您已登录',
      username: '用户名',
      password: '密码',
      signIn: '登录',
      signingIn: '正在登录…',
      signOut: '退出登录',
      displayName: '姓名',
      roles: '角色',
      jurisdiction: '辖区代码',
      missing: '请填写用户名和密码。',
      wrong: '用户名或密码不正确。',
      locked: '登录失败次数过多，账户已暂时锁定，请稍后再试。',
      tooMany: '请求过于频繁，请 {s} 秒后再试。',
      failed: '出现错误，请稍后再试。如需报告，请提供编号：{id}',
      unreachable: '无法连接到平台，请检查网络后重试。',
      welcome: '欢迎，{name}。',
      signedOut: '您已退出登录。',
      expired: '登录已过期，请重新登录。',
      pageTitleSignIn: '邻里 · 登录',
      pageTitleSignedIn: '邻里 · 我的账户',
      role: {
        operator: '话务员',
        provider: '服务提供方',
        coordinator: '应急协调员',
        mediator: '人民调解员',
        supervisor: '督办主管',
        auditor: '审计员',
        admin: '系统管理员',
      },
    },
    en: {
      skip: 'Skip to main content',
      brand: 'Community services',
      languageHint: 'Change the page language',
      switchTo: '中文',
      switchToLang: 'zh-CN',
      noscript: 'This page needs JavaScript.',
      signInTitle: 'Sign in',
      signedInTitle: 'You are signed in',
      username: 'Username',
      password: 'Password',
      signIn: 'Sign in',
      signingIn: 'Signing in…',
      signOut: 'Sign out',
      displayName: 'Name',
      roles: 'Roles',
      jurisdiction: 'Jurisdiction code',
      missing: 'Enter your username and password.',
      wrong: 'The username or password is not right.',
      locked: 'Too many failed sign-ins: the account is locked for a while. Try again later.',
      tooMany: 'Too many requests. Try again in {s} s.',
      failed: 'Something went wrong. Try again later; when reporting it, quote {id}.',
      unreachable: 'The platform cannot be reached. Check the network and try again.',
      welcome: 'Welcome, {name}.',
      signedOut: 'You are signed out.',
      expired: 'Your sign-in has expired. Sign in again.',
      pageTitleSignIn: 'Linli · Sign in',
      pageTitleSignedIn: 'Linli · My account',
      role: {
        operator: 'Operator',
        provider: 'Service provider',
        coordinator: 'Emergency coordinator',
        mediator: 'Mediator',
        supervisor: 'Supervisor',
        auditor: 'Auditor',
        admin: 'Administrator',
      },
    },
  };

  const byId = (id) => document.getElementById(id);
  const ui = {
    language: byId('language'),
    signIn: byId('sign-in'),
    signInTitle: byId('sign-in-title'),
    form: byId('sign-in-form'),
    username: byId('username'),
    password: byId('password'),
    signInButton: byId('sign-in-button'),
    signedIn: byId('signed-in'),
    signedInTitle: byId('signed-in-title'),
    signOut: byId('sign-out'),
    status: byId('status'),
    who: {
      name: byId('who-name'),
      username: byId('who-username'),
      roles: byId('who-roles'),
      jurisdiction: byId('who-jurisdiction'),
    },
  };

  let language = readLanguage();
  let me = null;

  function readLanguage() {
    try {
      const stored = window.localStorage.getItem(LANGUAGE_KEY);
      if (stored && TEXT[stored]) return stored;
    } catch {
      // storage refused (private mode): Chinese, the default
    }
    return 'zh-CN';
  }

  function t(key, values) {
    const text = TEXT[language][key] || TEXT['zh-CN'][key] || key;
    return text.replace(/\{(\w+)\}/g, (_, name) =>
      String(values && values[name] !== undefined ? values[name] : ''),
    );
  }

  function applyLanguage() {
    document.documentElement.lang = language;
    for (const element of document.querySelectorAll('[data-i18n]')) {
      element.textContent = t(element.getAttribute('data-i18n'));
    }
    ui.language.textContent = t('switchTo');
    ui.language.lang = t('switchToLang');
    document.title = me ? t('pageTitleSignedIn') : t('pageTitleSignIn');
    if (me) showWho(me);
  }

  function say(message, isError) {
    ui.status.textContent = message;
    ui.status.classList.toggle('error', Boolean(isError));
  }

  function readTokens() {
    try {
      return JSON.parse(window.sessionStorage.getItem(TOKENS_KEY) || 'null');
    } catch {
      return null;
    }
  }

  function keepTokens(tokens) {
    if (tokens) window.sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    else window.sessionStorage.removeItem(TOKENS_KEY);
  }

  async function request(method, path, body, accessToken) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (accessToken) headers.authorization = 'Bearer ' + accessToken;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, body: json, headers: response.headers };
  }

  function problemMessage(reply) {
    if (reply.status === 401) return t('wrong');
    if (reply.status === 423) return t('locked');
    if (reply.status === 429) return t('tooMany', { s: reply.headers.get('retry-after') || '60' });
    const id = (reply.body && reply.body.correlationId) || reply.headers.get('x-correlation-id') || '-';
    return t('failed', { id });
  }

  /** GET /me with the access token, renewing it once with the refresh token when it has expired. */
  async function loadMe(tokens) {
    let reply = await request('GET', '/me', undefined, tokens.accessToken);
    if (reply.status === 401 && tokens.refreshToken) {
      const renewed = await request('POST', '/auth/refresh', { refreshToken: tokens.refreshToken });
      if (renewed.status !== 200) return null;
      tokens = renewed.body;
      keepTokens(tokens);
      reply = await request('GET', '/me', undefined, tokens.accessToken);
    }
    return reply.status === 200 ? reply.body : null;
  }

  function showWho(user) {
    ui.who.name.textContent = user.displayName || '';
    ui.who.username.textContent = user.username || user.userId || '';
    const roles = TEXT[language].role;
    ui.who.roles.textContent = (user.roles || []).map((role) => roles[role] || role).join('、');
    ui.who.jurisdiction.textContent = user.jurisdiction || '';
  }

  function showSignedIn(user) {
    me = user;
    showWho(user);
    ui.signIn.hidden = true;
    ui.signedIn.hidden = false;
    document.title = t('pageTitleSignedIn');
    ui.signedInTitle.focus();
  }

  function showSignIn() {
    me = null;
    ui.signedIn.hidden = true;
    ui.signIn.hidden = false;
    ui.password.value = '';
    document.title = t('pageTitleSignIn');
  }

  async function signIn(event) {
    event.preventDefault();
    const username = ui.username.value.trim().toLowerCase();
    const password = ui.password.value;
    if (!username || !password) {
      say(t('missing'), true);
      (username ? ui.password : ui.username).focus();
      return;
    }
    ui.signInButton.disabled = true;
    say(t('signingIn'));
    try {
      const reply = await request('POST', '/auth/login', { username, password });
      if (reply.status !== 200) {
        say(problemMessage(reply), true);
        ui.password.value = '';
        ui.password.focus();
        return;
      }
      keepTokens(reply.body);
      const user = (await loadMe(reply.body)) || reply.body.user;
      showSignedIn(user);
      say(t('welcome', { name: user.displayName || user.username }));
    } catch {
      say(t('unreachable'), true);
    } finally {
      ui.signInButton.disabled = false;
    }
  }

  async function signOut() {
    const tokens = readTokens();
    ui.signOut.disabled = true;
    try {
      if (tokens) await request('POST', '/auth/logout', undefined, tokens.accessToken);
    } catch {
      // signed out here whatever the network says: the access token expires soon anyway
    } finally {
      ui.signOut.disabled = false;
    }
    keepTokens(null);
    showSignIn();
    say(t('signedOut'));
    ui.signInTitle.focus();
  }

  ui.language.addEventListener('click', () => {
    language = language === 'zh-CN' ? 'en' : 'zh-CN';
    try {
      window.localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      // not kept: the switch still applies to this page
    }
    applyLanguage();
  });
  ui.form.addEventListener('submit', signIn);
  ui.signOut.addEventListener('click', signOut);

  applyLanguage();
  const tokens = readTokens();
  if (tokens) {
    loadMe(tokens)
      .then((user) => {
        if (user) showSignedIn(user);
        else {
          keepTokens(null);
          say(t('expired'));
        }
      })
      .catch(() => say(t('unreachable'), true));
  }
})();
