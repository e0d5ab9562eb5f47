import { useEffect, useRef, useState } from 'preact/hooks';
import { session as sessionApi, errorText, type Session } from '../../api';
import { Loading } from '../../components/States';

interface Props {
  query: URLSearchParams;
  reason?: string | undefined;
  onSignedIn: (s: Session) => void;
}

/** Sign in: a one-time code from the link `./trainyard standalone` prints, or a pasted API token. */
export function LoginPage({ query, reason, onSignedIn }: Props) {
  const code = query.get('code');
  const [exchanging, setExchanging] = useState(code !== null);
  const [error, setError] = useState<string | null>(null);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const tokenInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (code === null) return;
    // the code is spent by this request: take it out of the address (and the history) at once
    history.replaceState(history.state, '', window.location.pathname + '#/login');
    sessionApi.signInWithCode(code).then(onSignedIn, (e) => {
      const detail = errorText(e).trim();
      setError(`This sign-in link does not work: ${detail}${/[.!?]$/.test(detail) ? '' : '.'} ` +
        'A link works once, for 5 minutes: ask for a new one, or paste an API token.');
      setExchanging(false);
    });
  }, []);

  useEffect(() => {
    if (!exchanging) tokenInput.current?.focus();
  }, [exchanging]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Paste an API token first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await sessionApi.signInWithToken(token.trim()));
    } catch (err) {
      setError(`Sign-in failed: ${errorText(err)}`);
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <section class="login-card" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Trainyard</h1>
        {exchanging ? (
          <Loading what="Signing you in" />
        ) : (
          <>
            {reason && !error && <p class="notice">{reason}</p>}
            {error && <p class="error" role="alert" id="login-error">{error}</p>}
            <form onSubmit={submit}>
              <label for="token">API token</label>
              <input id="token" ref={tokenInput} type="password" autoComplete="off" spellcheck={false}
                value={token} onInput={(e) => setToken(e.currentTarget.value)}
                aria-describedby={error ? 'login-error token-help' : 'token-help'} />
              <p id="token-help" class="help">
                The token is exchanged for a session cookie and is not stored in the browser.{' '}
                <code>./trainyard standalone</code> prints a sign-in link that needs no token.
              </p>
              <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
            </form>
          </>
        )}
      </section>
    </main>
  );
}
