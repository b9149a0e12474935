import { loadModel, train } from '@onnx-mlp/web';
import mnistModelUrl from '../../../../models/mnist-mlp.onnx?url';
import sampleCsvUrl from '../../../../examples/customers.csv?url';
import { setUpDigitPanel } from './digit-panel.js';
import { setUpModelViewer } from './model-viewer.js';
import { ortFiles } from './ort-files.js';
import { setUpTrainPanel } from './train-panel.js';

setUpDigitPanel(mnistModelUrl);
setUpTrainPanel(sampleCsvUrl);
setUpModelViewer();

// The package API and the shipped assets, for the browser tests and for trying things in the console.
Object.assign(window, { onnxMlpDemo: { loadModel, train, ortFiles, mnistModelUrl, sampleCsvUrl } });
