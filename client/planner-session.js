/**
 * The planner's sign-in (#planner-session): a planner pastes a token, the
 * page checks it with GET /api/session (401: not valid, 403: not a
 * planner's; the answer names whose it is) and keeps it for this tab's
 * session (session.js, where the #token= link of the first start puts it
 * too); signing out forgets it. A token kept from before is checked again
 * when the page starts.
 */
import { fetchSession } from './api.js';
import { t } from './i18n.js';
import { byId, showNote } from './panel.js';
import { el } from './scenario-panel.js';
import { currentToken, forgetToken, keepToken } from './session.js';

/** @typedef {import('./api.js').Session} Session */

/**
 * The message for a failed check, in the user's language.
 * @param {unknown} error
 */
function refusal(error) {
  const status = /** @type {{ status?: number }} */ (error)?.status;
  if (status === 401) return t('planner.error.invalid');
  if (status === 403) return t('planner.error.forbidden');
  if (status === 0) return t('error.network');
  return error instanceof Error ? error.message : String(error);
}

/**
 * @param {(session: Session | null) => void} onChange called after a sign-in, a sign-out, or the start's check
 */
export function createPlannerSession(onChange) {
  /** @type {Session | null} */
  let session = null;
  let formOpen = false;
  let checking = false;
  let problem = '';

  function render() {
    const root = byId('planner-session');
    if (session) {
      const signOut = el('button', { type: 'button', class: 'secondary', id: 'planner-sign-out' }, [t('planner.signOut')]);
      signOut.addEventListener('click', () => {
        forgetToken();
        session = null;
        render();
        onChange(null);
        showNote(t('planner.signedOut'));
      });
      root.replaceChildren(
        el('div', { class: 'planner-who' }, [
          el('span', { id: 'planner-who' }, [t('planner.signedIn', { name: session.name, role: t(`planner.role.${session.role}`) })]),
          signOut,
        ]),
      );
      return;
    }
    if (!formOpen) {
      const open = el('button', { type: 'button', class: 'link', id: 'planner-sign-in', 'aria-expanded': 'false' }, [t('planner.signIn')]);
      open.addEventListener('click', () => {
        formOpen = true;
        render();
        /** @type {HTMLInputElement | null} */ (document.getElementById('planner-token'))?.focus();
      });
      root.replaceChildren(open);
      return;
    }
    const input = /** @type {HTMLInputElement} */ (
      el('input', { id: 'planner-token', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: t('planner.tokenPlaceholder'), 'aria-describedby': 'planner-token-hint' })
    );
    const submit = el('button', { type: 'submit' }, [checking ? t('planner.checking') : t('planner.submit')]);
    if (checking) submit.setAttribute('disabled', '');
    const cancel = el('button', { type: 'button', class: 'secondary' }, [t('planner.cancel')]);
    cancel.addEventListener('click', () => {
      formOpen = false;
      problem = '';
      render();
    });
    const form = el('form', { id: 'planner-sign-in-form', class: 'planner-form' }, [
      el('label', { for: 'planner-token' }, [t('planner.tokenLabel')]),
      input,
      el('div', { class: 'buttons' }, [submit, cancel]),
      el('p', { id: 'planner-token-hint', class: 'hint' }, [t('planner.tokenHint')]),
      ...(problem ? [el('p', { class: 'planner-error', role: 'alert' }, [problem])] : []),
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      signIn(input.value.trim());
    });
    root.replaceChildren(form);
  }

  /** @param {string} token */
  async function signIn(token) {
    if (!token) {
      problem = t('planner.error.empty');
      render();
      return;
    }
    checking = true;
    problem = '';
    render();
    try {
      session = await fetchSession(token);
      keepToken(token);
      formOpen = false;
    } catch (error) {
      problem = refusal(error);
    } finally {
      checking = false;
    }
    render();
    if (session) onChange(session);
  }

  return {
    /** The signed-in planner, or null. */
    current: () => session,
    /** Checks a token kept from before (the #token= link, an earlier sign-in in this tab). */
    async resume() {
      if (currentToken()) {
        try {
          session = await fetchSession();
        } catch (error) {
          const status = /** @type {{ status?: number }} */ (error)?.status;
          // A token that is not valid any more is forgotten; a reader's (private deployments) is kept for reading.
          if (status === 401) {
            forgetToken();
            formOpen = true;
            problem = t('planner.error.expired');
          } else if (status !== 403) {
            problem = refusal(error);
            formOpen = true;
          }
        }
      }
      render();
      onChange(session);
    },
    render,
  };
}
