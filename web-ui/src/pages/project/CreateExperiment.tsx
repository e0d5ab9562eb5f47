import { useState } from 'preact/hooks';
import { experiments, errorText } from '../../api';

export function CreateExperiment({ projectId, onCreated }: { projectId: number; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await experiments.create(projectId, name.trim());
      setName('');
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="create">
      <summary>New experiment</summary>
      <form class="inline-form" onSubmit={submit}>
        <label>Name <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <button type="submit" class="primary" disabled={busy || !name.trim()}>Create experiment</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </details>
  );
}
