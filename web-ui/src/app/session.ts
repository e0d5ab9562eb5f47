import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ProjectRole, Session } from '../api';

export interface SessionState {
  session: Session;
  signOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The signed-in session; pages render only inside the sign-in gate, so it is always there. */
export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in app');
  return s;
}

const RANK: Record<ProjectRole, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * Whether the signed-in user may do what needs project role `needed`: their role in the project (the API checks
 * roles for site admins too) and the scope of the token the session was made from (a read token writes nothing).
 */
export function allows(session: Session, role: ProjectRole | null | undefined, needed: ProjectRole): boolean {
  if (!role || RANK[role] < RANK[needed]) return false;
  return session.user.tokenScope !== 'read';
}

/** allows() for the current session. */
export function useAllows(role: ProjectRole | null | undefined, needed: ProjectRole): boolean {
  return allows(useSession().session, role, needed);
}
