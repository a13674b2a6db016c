"""Sandbox control of notifications. (Skeleton: the routes are being written.)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
