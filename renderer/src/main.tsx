import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { hasApi } from './api';
import { ApiMissing, App } from './App';
import './styles.css';
import { applySavedTheme } from './settings/theme';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

applySavedTheme();
createRoot(container).render(<StrictMode>{hasApi() ? <App /> : <ApiMissing />}</StrictMode>);
