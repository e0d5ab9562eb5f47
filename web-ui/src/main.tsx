import { render } from 'preact';
import { App } from './app/App';
import { startEarlyRequests } from './app/early';
import './styles/app.css';

startEarlyRequests();
render(<App />, document.getElementById('app')!);
