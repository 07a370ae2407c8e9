// The small cluster the Cilium and explain tests evaluate policies on.

/** Namespaces a and b; a/web (app=web, port http 8080), a/db (app=db, port pg 5432), b/web (app=web). */
export const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: { name: a, labels: { team: a } }
---
apiVersion: v1
kind: Namespace
metadata: { name: b, labels: { team: b } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: a }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: a }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: c, ports: [{ name: pg, containerPort: 5432 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: b }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c }] }
`;

export const A_WEB = 'a/web[Deployment]';
export const A_DB = 'a/db[Deployment]';
export const B_WEB = 'b/web[Deployment]';
