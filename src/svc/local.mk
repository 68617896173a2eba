# src/svc
