// contextBridge only: one named function per contract entry (issue 5).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('runcode', {});
