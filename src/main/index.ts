// Composition root of the Electron shell. Placeholder until the shell lands (issue 5).
import { app } from 'electron';

app.whenReady().then(() => {
  app.quit();
});
