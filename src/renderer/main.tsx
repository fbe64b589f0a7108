import { createRoot } from 'react-dom/client';

function App() {
  return <main>RunCode Tray</main>;
}

createRoot(document.getElementById('root')!).render(<App />);
