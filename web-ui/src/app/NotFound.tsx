import { href } from './router';
import { paths } from './routes';

export function NotFound() {
  return (
    <section class="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <a href={href(paths.projects())}>Go to your projects</a>.
      </p>
    </section>
  );
}
