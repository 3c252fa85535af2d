import { render } from "preact";
import { App } from "./components/App";
import { tauriBackend } from "./tauri";

render(<App backend={tauriBackend} />, document.getElementById("app")!);
