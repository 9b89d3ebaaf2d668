// Entry point of the monitor web app.
import { render } from 'preact';
import '@kern-ux/native/dist/kern.min.css';
import './styles/fonts.css';
import './styles/app.css';
import { App } from './App.tsx';

const root = document.getElementById('app')!;
root.textContent = '';
render(<App />, root);
