// The page the widget browser test opens (notebooks/widgets_browser_test.go):
// a minimal widget frontend, built the way JupyterLab's is, from npm's
// @jupyter-widgets/html-manager (the widget models and views of
// ipywidgets 8) and @jupyterlab/services (kernels over a Jupyter server's
// REST API and websockets). It starts a gradlab kernel, renders the widgets
// its cells display, and captures output into output widgets by msg_id,
// as JupyterLab's widget manager does. The test drives it through
// window.gradlab.
import './jquery-global.js';
import 'jquery-ui/ui/version';
import 'jquery-ui/ui/widget';
import 'jquery-ui/ui/keycode';
import 'jquery-ui/ui/widgets/mouse';
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import { HTMLManager } from '@jupyter-widgets/html-manager/lib/htmlmanager';
import { shims } from '@jupyter-widgets/base';

const VIEW = 'application/vnd.jupyter.widget-view+json';

// WidgetManager talks to a live kernel: widget models are comms.
class WidgetManager extends HTMLManager {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      await this.handle_comm_open(new shims.services.Comm(comm), msg);
    });
  }
  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new shims.services.Comm(comm);
  }
  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}

const log = [];
function status(s) {
  document.getElementById('status').textContent = s;
  log.push(s);
}

async function main() {
  const params = new URLSearchParams(location.search);
  const settings = ServerConnection.makeSettings({ baseUrl: location.origin + '/', token: params.get('token') });
  const kernels = new KernelManager({ serverSettings: settings });
  const kernel = await kernels.startNew({ name: params.get('kernel') || 'gradlab' });
  const manager = new WidgetManager(kernel);
  const out = document.getElementById('out');

  // Output widgets capture the outputs whose parent is their msg_id.
  async function capture(msg) {
    const parent = msg.parent_header && msg.parent_header.msg_id;
    if (!parent) {
      return false;
    }
    let captured = false;
    for (const id of Object.keys(manager._models || {})) {
      const model = await manager.get_model(id);
      if (model.get('_model_name') !== 'OutputModel' || model.get('msg_id') !== parent) {
        continue;
      }
      captured = true;
      const t = msg.header.msg_type;
      if (t === 'clear_output') {
        model.clear_output(msg.content.wait);
      } else if (t === 'stream' || t === 'display_data' || t === 'execute_result' || t === 'error') {
        model.outputs.add(Object.assign({ output_type: t }, msg.content));
      }
    }
    return captured;
  }

  const texts = [];
  kernel.iopubMessage.connect((_, msg) => {
    (async () => {
      if (await capture(msg)) {
        return;
      }
      const t = msg.header.msg_type;
      if (t === 'display_data' && msg.content.data[VIEW]) {
        const model = await manager.get_model(msg.content.data[VIEW].model_id);
        const el = document.createElement('div');
        el.className = 'widget-area';
        out.appendChild(el);
        await manager.display_view(manager.create_view(model), el);
      } else if (t === 'stream') {
        texts.push(msg.content.text);
      } else if (t === 'error') {
        texts.push('error: ' + msg.content.evalue);
      }
    })().catch((e) => status('error: ' + e));
  });

  window.gradlab = {
    kernel,
    manager,
    texts,
    log,
    // run executes code and resolves when the kernel is idle again.
    run: async (code) => {
      const future = kernel.requestExecute({ code });
      const reply = await future.done;
      return reply.content.status;
    },
  };
  status('ready');
}

main().catch((e) => status('error: ' + e + '\n' + (e.stack || '')));
