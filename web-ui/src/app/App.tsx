import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { session as sessionApi, setCsrfToken, setUnauthorizedHandler, type Session } from '../api';
import { LoginPage } from '../pages/login/LoginPage';
import { Loading } from '../components/States';
import { SessionContext } from './session';
import { takeSessionCheck } from './early';
import { href, match, navigate, useLocation, type Route } from './router';
import { ROUTES, paths, type RouteDef } from './routes';
import { NotFound } from './NotFound';

type Gate = { state: 'checking' } | { state: 'signed-out'; reason?: string } | { state: 'signed-in'; session: Session };

/** The app: the sign-in gate, then the shell around the current page. */
export function App() {
  const location = useLocation();
  const [gate, setGate] = useState<Gate>({ state: 'checking' });

  const signedIn = useCallback((s: Session) => {
    setCsrfToken(s.csrfToken);
    setGate({ state: 'signed-in', session: s });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setGate({ state: 'signed-out', reason: 'Your session has ended. Sign in again.' });
    });
    // a one-time code in the URL is exchanged by the login page; do not check the cookie first
    if (location.path === '/login' && location.query.has('code')) {
      setGate({ state: 'signed-out' });
      return;
    }
    // sent as the script started (early.ts), with a compare page's metric keys: the page renders while they load
    (takeSessionCheck() ?? sessionApi.current()).then(signedIn, () => setGate({ state: 'signed-out' }));
  }, []);

  // a new page: focus its main region, so keyboard and screen-reader users start at its top
  const firstPath = useRef(location.path);
  useEffect(() => {
    if (location.path === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [location.path]);

  const signOut = useCallback(() => {
    sessionApi.signOut().finally(() => {
      setCsrfToken(null);
      setGate({ state: 'signed-out', reason: 'You are signed out.' });
      navigate(paths.login());
    });
  }, []);

  if (gate.state === 'checking') {
    return (
      <main id="main" class="centered">
        <Loading what="Checking your session" />
      </main>
    );
  }
  if (gate.state === 'signed-out' || location.path === '/login') {
    if (gate.state === 'signed-in' && !location.query.has('code')) {
      // signed in already: the login route goes on to where the user was headed
      navigate(location.query.get('next') ?? paths.projects(), undefined, true);
      return null;
    }
    return <LoginPage query={location.query} reason={gate.state === 'signed-out' ? gate.reason : undefined}
      onSignedIn={(s) => {
        signedIn(s);
        navigate(location.query.get('next') ?? paths.projects(), undefined, true);
      }} />;
  }

  let found: { def: RouteDef; route: Route } | null = null;
  for (const def of ROUTES) {
    const params = match(def.pattern, location.path);
    if (params) {
      found = { def, route: { path: location.path, params, query: location.query } };
      break;
    }
  }
  const Page = found?.def.page;
  return (
    <SessionContext.Provider value={{ session: gate.session, signOut }}>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href(paths.projects())}>Trainyard</a>
        <nav aria-label="Main">
          <a href={href(paths.projects())} aria-current={found?.def.section === 'projects' ? 'page' : undefined}>
            Projects
          </a>
          <a href={href(paths.queue())} aria-current={found?.def.section === 'queue' ? 'page' : undefined}>
            Queue &amp; workers
          </a>
        </nav>
        <div class="who">
          <span class="username" title="Signed in as">{gate.session.user.user.username}</span>
          <button type="button" class="link-button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {Page && found ? <Page key={found.def.pattern + JSON.stringify(found.route.params)} route={found.route} /> : <NotFound />}
      </main>
    </SessionContext.Provider>
  );
}
