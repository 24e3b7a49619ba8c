import { JoinPage } from './JoinPage.js';

export function App() {
  const join = /^\/j\/([^/?#]+)/.exec(window.location.pathname);
  if (join?.[1]) return <JoinPage token={decodeURIComponent(join[1])} />;
  return (
    <main data-testid="app-home">
      <h1>CourtLink 远程调解</h1>
      <p>公共法律服务远程视频调解平台</p>
    </main>
  );
}
