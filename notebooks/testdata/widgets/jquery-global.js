// controls7 (ipywidgets 7's controls, which html-manager loads for models
// of @jupyter-widgets/controls 1.5.0) uses jQuery UI's slider, whose
// modules find jQuery and each other through AMD, or else through a global
// jQuery. esbuild has no AMD, so page.js imports this first: it sets the
// global and loads the slider's dependencies in order (the bundle reads
// the global through --define:jQuery=window.jQuery).
import jq from 'jquery';
window.jQuery = window.$ = jq;
