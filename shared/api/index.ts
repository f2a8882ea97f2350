/** The StudioApi contract shared by the engine, the Electron shell, the server and the renderer. */
export * from './errors';
export * from './jobs';
export * from './methods';
export * from './model-summary';
