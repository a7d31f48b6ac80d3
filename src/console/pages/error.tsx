import type { Staff } from '../../admin/context';
import { Layout } from './layout';

export function ErrorPage({ title, message, staff, csrf }: { title: string; message: string; staff?: Staff; csrf?: string }) {
  return (
    <Layout title={title} staff={staff} csrf={csrf}>
      <div class="card">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/admin/users">Back to users</a>
        </p>
      </div>
    </Layout>
  );
}
