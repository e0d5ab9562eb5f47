import { useState } from 'preact/hooks';
import { projects, errorText, type Member, type ProjectRole } from '../../api';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { useAsync } from '../../components/useAsync';
import { ErrorView, Loading } from '../../components/States';
import { formatTime } from '../../components/format';

const ROLES: ProjectRole[] = ['viewer', 'editor', 'admin'];
const ONLY_ADMIN_ID = 'members-only-admin';

/**
 * The project's members; project admins change roles, add and remove members. On their own row an admin leaves
 * instead, unless they are its only admin: the API refuses that (409, the project would have no admin left), so the
 * row offers neither leaving nor a lesser role and a note under the table says why.
 */
export function Members({ projectId, canAdmin }: { projectId: number; canAdmin: boolean }) {
  const me = useSession().session.user.user.id;
  const list = useAsync(() => projects.members(projectId), [projectId]);
  const [error, setError] = useState<string | null>(null);

  const change = async (m: Member, role: ProjectRole) => {
    setError(null);
    try {
      await projects.changeRole(projectId, m.userId, role);
      list.reload();
    } catch (e) {
      setError(`Could not change ${m.username}'s role: ${errorText(e)}`);
    }
  };
  const remove = async (m: Member) => {
    const leaving = m.userId === me;
    if (!confirm(leaving ? 'Leave the project? You will no longer see it.' : `Remove ${m.username} from the project?`)) {
      return;
    }
    setError(null);
    try {
      await projects.removeMember(projectId, m.userId);
      if (leaving) navigate('/projects');
      else list.reload();
    } catch (e) {
      setError(`Could not remove ${m.username}: ${errorText(e)}`);
    }
  };

  if (list.state === 'loading') return <Loading what="Loading members" />;
  if (list.state === 'error') return <ErrorView error={list.error} retry={list.reload} />;
  const onlyAdmin = list.value.items.filter((m) => m.role === 'admin').length === 1;
  const ownLocked = onlyAdmin && list.value.items.some((m) => m.userId === me && m.role === 'admin');
  return (
    <>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="table-scroll">
        <table class="data members">
          <caption class="visually-hidden">Members</caption>
          <thead>
            <tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Added</th>{canAdmin && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr>
          </thead>
          <tbody>
            {list.value.items.map((m) => {
              const own = m.userId === me;
              const locked = own && onlyAdmin && m.role === 'admin';
              return (
                <tr key={m.userId}>
                  <td>{m.username}</td>
                  <td>
                    {canAdmin ? (
                      <select aria-label={`Role of ${m.username}`} value={m.role} disabled={locked}
                        aria-describedby={locked ? ONLY_ADMIN_ID : undefined}
                        onChange={(e) => change(m, e.currentTarget.value as ProjectRole)}>
                        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                      </select>
                    ) : m.role}
                  </td>
                  <td>{formatTime(m.addedAt)}</td>
                  {canAdmin && (
                    <td>
                      {locked ? (
                        <span class="muted members__locked">Can’t leave</span>
                      ) : (
                        <button type="button" class="danger" onClick={() => remove(m)}>{own ? 'Leave' : 'Remove'}</button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {/* under the table, not in its narrow last column: one line on a laptop, two on a phone */}
      {canAdmin && ownLocked && (
        <p class="muted members__note" id={ONLY_ADMIN_ID}>You are the only admin: make someone else admin to leave.</p>
      )}
      {canAdmin && <AddMember projectId={projectId} onAdded={list.reload} />}
    </>
  );
}

function AddMember({ projectId, onAdded }: { projectId: number; onAdded: () => void }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await projects.addMember(projectId, username.trim(), role);
      setUsername('');
      onAdded();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <details class="create">
      <summary>Add a member</summary>
      <form class="inline-form" onSubmit={submit}>
        <label>Username <input required value={username} onInput={(e) => setUsername(e.currentTarget.value)} /></label>
        <label>Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as ProjectRole)}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" class="primary" disabled={!username.trim()}>Add member</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </details>
  );
}
