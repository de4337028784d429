import { contextBridge, ipcRenderer } from 'electron';
import { exposeDesktopApi } from './api';

exposeDesktopApi(contextBridge, ipcRenderer);
