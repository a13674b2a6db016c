"""Sandbox control of WishPost payments (under /sandbox/api/wishpost). Filled in by issue 14."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/sandbox/api/wishpost", tags=["Sandbox control"])
