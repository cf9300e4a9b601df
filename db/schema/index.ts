export * from './users';
export * from './organizations';
export * from './auth';
export * from './mail';
export * from './audit';
export * from './jobs';
export * from './keys';
export * from './datasets';
