import { useState } from 'preact/hooks';
import { projects, errorText, type Member, type ProjectRole } from '../../api';
import { useAsync } from '../../components/useAsync';
import { ErrorView, Loading } from '../../components/States';
import { formatTime } from '../../components/format';

const ROLES: ProjectRole[] = ['viewer', 'editor', 'admin'];

/** The project's members; project admins change roles, add and remove members. */
export function Members({ projectId, canAdmin }: { projectId: number; canAdmin: boolean }) {
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
    if (!confirm(`Remove ${m.username} from the project?`)) return;
    setError(null);
    try {
      await projects.removeMember(projectId, m.userId);
      list.reload();
    } catch (e) {
      setError(`Could not remove ${m.username}: ${errorText(e)}`);
    }
  };

  if (list.state === 'loading') return <Loading what="Loading members" />;
  if (list.state === 'error') return <ErrorView error={list.error} retry={list.reload} />;
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
            {list.value.items.map((m) => (
              <tr key={m.userId}>
                <td>{m.username}</td>
                <td>
                  {canAdmin ? (
                    <select aria-label={`Role of ${m.username}`} value={m.role}
                      onChange={(e) => change(m, e.currentTarget.value as ProjectRole)}>
                      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  ) : m.role}
                </td>
                <td>{formatTime(m.addedAt)}</td>
                {canAdmin && <td><button type="button" class="danger" onClick={() => remove(m)}>Remove</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
