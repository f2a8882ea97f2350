/** Renderer entry: styles, the studio's start (engine connection, the model to open) and the app. */
// first: the server connection starts while the modules below evaluate
import './services/early-socket';
import '@blueprintjs/core/lib/css/blueprint.css';
import '@blueprintjs/icons/lib/css/blueprint-icons.css';
import './styles/app.css';
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App, startStudio } from './app/app';

startStudio();
const root = createRoot(document.getElementById('root') as HTMLElement);
// the first render yields every few ms, so the socket's open event (and the model request it sends) is not held back
startTransition(() =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
